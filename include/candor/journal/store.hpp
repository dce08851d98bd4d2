// Head office's store: every record forwarded from every device, each accepted once, after
// its signature, its chain and its seal were checked. Segments like a journal's, holding
// records of all devices in the order they were accepted.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "candor/error.hpp"
#include "candor/journal/record.hpp"
#include "candor/journal/segment.hpp"
#include "candor/error.hpp"
#include "candor/seal/keys.hpp"

namespace candor::journal {

struct bundle_input {
    std::string name;  // names the bundle in problems, usually its path
    seal::bytes data;
};

struct device_summary {
    std::string device;
    std::uint64_t accepted = 0;
    std::uint64_t duplicates = 0;  // already in the store: imported before, added nothing
    std::uint64_t refused = 0;
    std::uint64_t highest = 0;     // highest sequence number in the store after the import
    std::vector<std::pair<std::uint64_t, std::uint64_t>> missing;  // [from, to] not received
};

struct import_report {
    std::vector<device_summary> devices;  // by device id
    errors found;  // refusals are errors; gaps and reordering are warnings
    std::uint64_t accepted = 0;
    std::uint64_t duplicates = 0;
    std::uint64_t refused = 0;
    bool refused_any() const noexcept { return has_errors(found); }
};

class store {
public:
    // Opens the store in DIR, creating it if needed; a torn last frame is cut off.
    static result<store> open(std::filesystem::path const& dir,
                                        segment_options options = {});
    store(store&&) noexcept;
    store& operator=(store&&) noexcept;
    ~store();

    // Checks every record of every bundle and stores those that pass, all with one
    // fdatasync. Records from a bundle are accepted even when others in it are refused.
    // Throws std::system_error when the store cannot be written; reopen it then.
    import_report import(std::span<bundle_input const> bundles, seal::device_list const& devices,
                         seal::hq_secret const& hq);

    // Every stored record, in the order accepted. Throws std::system_error on I/O failure.
    void for_each(std::function<void(record const&)> const& visit) const;
    // Records whose receipt code is `code` (normalized, "7KQ-4M2").
    std::vector<record> find_receipt(std::string_view code) const;

    std::uint64_t size() const noexcept;
    errors const& recovery() const noexcept;

private:
    struct impl;
    explicit store(std::unique_ptr<impl> p);
    std::unique_ptr<impl> p_;
};

}  // namespace candor::journal
