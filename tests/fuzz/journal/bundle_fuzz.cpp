// libFuzzer target: head office's import of a bundle, on any bytes. The device list and
// head office's key are the golden journal's (tests/data/journal-v1), so mutations of its
// bundle (the seed corpus) reach the signature, chain and store checks.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

#include "candor/journal/store.hpp"

namespace {

using namespace candor;
namespace fs = std::filesystem;

std::string slurp(fs::path const& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

struct world {
    seal::hq_secret hq;
    seal::device_list devices;
    std::optional<journal::store> store;

    world() {
        fs::path golden = fs::path(CANDOR_SOURCE_DIR) / "tests" / "data" / "journal-v1";
        hq = seal::parse_hq_secret(slurp(golden / "hq-secret.txt")).value();
        devices.devices.push_back(seal::parse_device_public(slurp(golden / "device.pub")).value());
        std::string dir = (fs::temp_directory_path() / "candor-bundle-fuzz-XXXXXX").string();
        if (::mkdtemp(dir.data()) == nullptr) std::abort();
        store.emplace(journal::store::open(dir, {64u << 20, false}).value());
    }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
    static world w;
    std::vector<journal::bundle_input> in{{"fuzz", seal::bytes(data, data + size)}};
    auto report = w.store->import(in, w.devices, w.hq);
    // Every refusal is reported; nothing is accepted twice.
    if (report.refused != 0 && !report.refused_any()) __builtin_trap();
    auto again = w.store->import(in, w.devices, w.hq);
    if (again.accepted != 0) __builtin_trap();
    return 0;
}
