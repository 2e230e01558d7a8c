// Checks on the discovery the proxy recorded, shared by the groups' discovery cases.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "driver/tck.h"

namespace cloudstate::tck {

// The spec's descriptor set declares `service` (a file whose package and service name match).
void ExpectDeclared(const Tck& tck, const std::string& service);

// The spec has an entity for `service` of `entity_type`; when given, its persistence id and its
// passivation timeout are as stated.
void ExpectEntity(const Tck& tck, const std::string& service, const std::string& entity_type,
                  std::optional<std::string> persistence_id = std::nullopt,
                  std::optional<std::chrono::milliseconds> passivation = std::nullopt);

}  // namespace cloudstate::tck
