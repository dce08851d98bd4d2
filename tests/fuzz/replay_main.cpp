// A main() for compilers without libFuzzer: runs the target once on every file of the
// given files and directories (the seed corpus, or reproducers), like `fuzzer FILE...`.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size);

namespace {

int run_file(std::filesystem::path const& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        std::fprintf(stderr, "cannot read %s\n", path.c_str());
        return 1;
    }
    std::string const bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    LLVMFuzzerTestOneInput(reinterpret_cast<std::uint8_t const*>(bytes.data()), bytes.size());
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    int failures = 0;
    std::size_t runs = 0;
    for (int i = 1; i < argc; ++i) {
        std::filesystem::path const arg(argv[i]);
        std::vector<std::filesystem::path> files;
        if (std::filesystem::is_directory(arg)) {
            for (auto const& entry : std::filesystem::recursive_directory_iterator(arg))
                if (entry.is_regular_file()) files.push_back(entry.path());
        } else {
            files.push_back(arg);
        }
        for (auto const& f : files) {
            failures += run_file(f);
            ++runs;
        }
    }
    std::printf("replayed %zu inputs\n", runs);
    // No input at all means a wrong path, not a pass.
    return failures == 0 && runs > 0 ? 0 : 1;
}
