// The store's file backend: segments of records in the order accepted and STORE/integrity,
// the heads announced and the alerts raised, under the directory's lock (one writer).
#pragma once

#include <filesystem>
#include <memory>

#include "candor/journal/segment.hpp"
#include "candor/journal/store_backend.hpp"

namespace candor::journal::detail {

result<std::unique_ptr<store_backend>> open_file_backend(std::filesystem::path const& dir,
                                                         segment_options options);

}  // namespace candor::journal::detail
