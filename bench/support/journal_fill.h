// Setting up a journal to replay: many small events written as fast as the store takes them
// (large appends, several in flight), since the setup is not what is being measured.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "cloudstate/store.h"

namespace cloudstate::bench {

// The id of entity number `index` in a filled journal.
std::string FilledEntityId(size_t index);

// Appends `events_per_entity` counter events (values 1, 2, ...) to entities 0..entities-1 of
// `persistence_id`, in appends of up to `batch` events. Exits on a store error.
void FillJournal(Journal& journal, const std::string& persistence_id, size_t entities, int64_t events_per_entity,
                 size_t batch = 1000);

}  // namespace cloudstate::bench
