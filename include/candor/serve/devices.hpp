// Devices pushing their journals to head office's server (candor::sync, push.hpp): the
// /d/head and /d/push routes of `candor serve`, taken into head office's store by the same
// import as `candor hq import` (signature, chain, seal, exactly once), a push whole or not
// at all (journal::store::import_whole). Every request is signed by its device's key
// (sync/request.hpp): 401 a bad or stale signature or a replayed nonce, 403 a device not
// listed or revoked, 413 a bundle over sync::max_push_bytes, 422 a refused bundle (a JSON
// problem; nothing stored), 503 the store could not be written.
// Thread safety: value types.
#pragma once

#include <filesystem>

#include "candor/seal/keys.hpp"

namespace candor::serve {

struct device_intake {
    std::filesystem::path store;  // head office's store (journal::store), locked only during a push
    seal::device_list devices;    // who may push
    seal::hq_secret hq;           // the seals are checked (open_card) as hq import checks them
};

}  // namespace candor::serve
