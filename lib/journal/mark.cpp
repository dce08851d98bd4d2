#include "mark.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <system_error>
#include <thread>
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

// The file and, once a post() asked for it, the thread that syncs it.
struct mark_writer::state {
    fs::path file;
    int fd = -1;
    int next = 0;
    bool sync = true;
    bool broken = false;  // a write failed: which slot holds what is unknown
    std::mutex m;
    std::condition_variable cv;
    std::uint64_t posted = 0;  // posts written, and of them synced
    std::uint64_t synced = 0;
    int failed = 0;  // errno of a failed sync
    bool stop = false;
    std::thread syncer;

    state(fs::path f, int d, int n, bool s) : file(std::move(f)), fd(d), next(n), sync(s) {}
    state(state const&) = delete;
    state& operator=(state const&) = delete;
    ~state() {
        {
            std::lock_guard l(m);
            stop = true;
        }
        cv.notify_all();
        if (syncer.joinable()) syncer.join();
        if (fd >= 0) ::close(fd);
    }

    // Syncs whenever something was posted since the last sync; the last post before the
    // end is synced too.
    void run() {
        std::unique_lock l(m);
        for (;;) {
            cv.wait(l, [&] { return stop || posted > synced; });
            if (posted == synced) return;
            auto const target = posted;
            l.unlock();
            int const rc = ::fdatasync(fd);
            int const err = errno;
            l.lock();
            if (rc != 0 && failed == 0) failed = err;
            synced = target;
        }
    }
};

mark_writer::mark_writer(std::unique_ptr<state> s) : s_(std::move(s)) {}

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
    return mark_writer(
        std::make_unique<state>(std::move(file), fd, (newest_slot + 1) % slots, sync));
}

mark_writer::mark_writer(mark_writer&& o) noexcept = default;
mark_writer& mark_writer::operator=(mark_writer&& o) noexcept = default;
mark_writer::~mark_writer() = default;

void mark_writer::put(signed_head const& h) {
    if (s_->broken) throw std::logic_error("mark_writer used after a failed write");
    try {
        util::write_all(s_->fd, slot_of(h), slot_offset(s_->next), s_->file);
    } catch (...) {
        // Which slot holds what is unknown now; the next open reads both.
        s_->broken = true;
        throw;
    }
    s_->next = (s_->next + 1) % slots;
}

void mark_writer::write(signed_head const& h) {
    put(h);
    if (s_->sync && ::fdatasync(s_->fd) != 0) {
        s_->broken = true;
        util::throw_errno("fdatasync " + s_->file.string());
    }
}

void mark_writer::check() const {
    std::lock_guard l(s_->m);
    if (s_->failed != 0)
        throw std::system_error(s_->failed, std::generic_category(),
                                "fdatasync " + s_->file.string());
}

void mark_writer::post(signed_head const& h) {
    check();
    put(h);
    if (!s_->sync) return;
    {
        std::lock_guard l(s_->m);
        ++s_->posted;
        if (!s_->syncer.joinable()) s_->syncer = std::thread([s = s_.get()] { s->run(); });
    }
    s_->cv.notify_one();
}

}  // namespace candor::journal::detail
