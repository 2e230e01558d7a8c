// How store messages name an entity: "persistence_id/entity_id", with bytes that would garble a log
// line (control characters, NUL, non-ASCII) written as \xNN.
#pragma once

#include <string>
#include <string_view>

#include "cloudstate/store.h"

namespace cloudstate {

inline void AppendPrintable(std::string& out, std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (char c : bytes) {
    auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u < 0x7f && c != '\\') {
      out += c;
    } else {
      out += "\\x";
      out += kHex[u >> 4];
      out += kHex[u & 0xf];
    }
  }
}

// How store messages name a persistence id alone (a feed).
inline std::string PersistenceIdText(std::string_view persistence_id) {
  std::string out;
  AppendPrintable(out, persistence_id);
  return out;
}

inline std::string EntityKeyText(const EntityKey& key) {
  std::string out;
  out.reserve(key.persistence_id.size() + key.entity_id.size() + 1);
  AppendPrintable(out, key.persistence_id);
  out += '/';
  AppendPrintable(out, key.entity_id);
  return out;
}

}  // namespace cloudstate
