// libFuzzer target: the frame reader and the record archive, on any bytes.
#include <cstddef>
#include <cstdint>

#include "util/frame.hpp"
#include "util/file_io.hpp"
#include "candor/journal/record.hpp"

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
    using namespace candor;
    seal::byte_view in(data, size);
    (void)util::read_file_header(in, util::segment_magic);
    auto scan = util::scan_frames(in);
    std::uint64_t end = 0;
    for (auto const& f : scan.frames) {
        // Frames come in order and lie inside the input.
        if (f.offset < end || f.offset + util::frame_overhead + f.payload.size() > size)
            __builtin_trap();
        end = f.offset + util::frame_overhead + f.payload.size();
        if (auto r = journal::from_payload(f.payload)) {
            // What was read writes back to the same record.
            auto again = journal::from_payload(journal::to_payload(*r));
            if (!again || !(*again == *r)) __builtin_trap();
        }
    }
    return 0;
}
