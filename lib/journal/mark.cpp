#include "mark.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>
#include <system_error>
#include <utility>

#include "util/file_io.hpp"
#include "util/frame.hpp"

namespace candor::journal::detail {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view mark_magic{"CNDRHED\0", 8};
constexpr std::size_t slot_size = 512;  // a frame of a head (at most 190 bytes), zero padded
constexpr int slots = 2;

std::uint64_t slot_offset(int slot) {
    return util::file_header_size + static_cast<std::uint64_t>(slot) * slot_size;
}

seal::bytes slot_of(signed_head const& h) {
    seal::bytes out;
    util::append_frame(out, head_bytes(h));
    out.resize(slot_size);
    return out;
}

}  // namespace

mark_state read_mark(fs::path const& dir) {
    mark_state out;
    auto file = dir / mark_file_name;
    std::error_code ec;
    if (!fs::exists(file, ec)) return out;
    out.exists = true;
    auto data = util::read_file(file);
    if (!util::read_file_header(data, mark_magic)) return out;
    for (int slot = 0; slot < slots; ++slot) {
        if (data.size() < slot_offset(slot) + slot_size) break;
        auto bytes = seal::byte_view(data).subspan(slot_offset(slot), slot_size);
        auto scan = util::scan_frames(bytes);
        if (scan.frames.empty() || scan.frames.front().offset != 0) continue;
        auto h = head_from_bytes(scan.frames.front().payload);
        if (h && (!out.head || h->seq > out.head->seq)) {
            out.head = std::move(*h);
            out.newest_slot = slot;
        }
    }
    return out;
}

mark_writer mark_writer::create(fs::path const& dir, signed_head const& h, bool sync) {
    auto data = util::file_header(mark_magic);
    auto first = slot_of(h);
    data.insert(data.end(), first.begin(), first.end());
    data.resize(slot_offset(slots));
    util::write_file_durably(dir / mark_file_name, data);
    return open(dir, 0, sync);
}

mark_writer mark_writer::open(fs::path const& dir, int newest_slot, bool sync) {
    auto file = dir / mark_file_name;
    int fd = ::open(file.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) util::throw_errno("open " + file.string());
    return mark_writer(std::move(file), fd, (newest_slot + 1) % slots, sync);
}

mark_writer::mark_writer(mark_writer&& o) noexcept
    : file_(std::move(o.file_)), fd_(std::exchange(o.fd_, -1)), next_(o.next_), sync_(o.sync_) {}

mark_writer& mark_writer::operator=(mark_writer&& o) noexcept {
    if (this != &o) {
        if (fd_ >= 0) ::close(fd_);
        file_ = std::move(o.file_);
        fd_ = std::exchange(o.fd_, -1);
        next_ = o.next_;
        sync_ = o.sync_;
    }
    return *this;
}

mark_writer::~mark_writer() {
    if (fd_ >= 0) ::close(fd_);
}

void mark_writer::write(signed_head const& h) {
    if (fd_ < 0) throw std::logic_error("mark_writer used after a failed write");
    try {
        util::write_all(fd_, slot_of(h), slot_offset(next_), file_);
        if (sync_ && ::fdatasync(fd_) != 0) util::throw_errno("fdatasync " + file_.string());
    } catch (...) {
        // Which slot holds what is unknown now; the next open reads both.
        ::close(fd_);
        fd_ = -1;
        throw;
    }
    next_ = (next_ + 1) % slots;
}

}  // namespace candor::journal::detail
