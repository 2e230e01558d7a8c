// Seeds and iteration counts for the property tests. CRDT_TEST_SEED replays one seed (the failing
// seed is printed with every failure); CRDT_TEST_SCALE multiplies the runs (the slow suite uses it).
#pragma once

#include <cstdint>
#include <cstdlib>
#include <vector>

namespace cloudstate::replicated::testing {

inline std::vector<uint32_t> PropertySeeds(int unit_runs) {
  if (const char* seed = std::getenv("CRDT_TEST_SEED")) return {static_cast<uint32_t>(std::strtoul(seed, nullptr, 10))};
  int scale = 1;
  if (const char* text = std::getenv("CRDT_TEST_SCALE")) scale = std::max(1, std::atoi(text));
  std::vector<uint32_t> seeds;
  for (int i = 0; i < unit_runs * scale; ++i) seeds.push_back(static_cast<uint32_t>(1000 + i * 7919));
  return seeds;
}

}  // namespace cloudstate::replicated::testing
