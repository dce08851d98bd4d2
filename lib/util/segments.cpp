#include "util/segments.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <stdexcept>
#include <system_error>
#include <thread>
#include <utility>

#include "util/file_io.hpp"
#include "util/frame.hpp"

namespace candor::util {

namespace fs = std::filesystem;

namespace {

std::optional<std::uint32_t> segment_index(fs::path const& p) {
    auto name = p.filename().string();
    unsigned index = 0;
    int used = 0;
    if (name.size() != 14 || std::sscanf(name.c_str(), "seg-%6u.cnj%n", &index, &used) != 1 ||
        used != 14 || index == 0)
        return std::nullopt;
    return index;
}

fs::path segment_path(fs::path const& dir, std::uint32_t index) {
    char name[32];
    std::snprintf(name, sizeof name, "seg-%06u.cnj", index);
    return dir / name;
}

}  // namespace

std::vector<fs::path> segment_files(fs::path const& dir, std::error_code& ec) {
    std::vector<fs::path> files;
    for (auto const& entry : fs::directory_iterator(dir, ec))
        if (entry.is_regular_file() && segment_index(entry.path())) files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    return files;
}

// What read_segments_from reads at first: a few dozen records.
constexpr std::uint64_t first_block = 64 * 1024;

void read_segments_from(
    fs::path const& dir, segment_position const& from,
    std::function<bool(fs::path const&, std::uint64_t, seal::byte_view)> const& visit) {
    std::error_code ec;
    bool started = from.file.empty();
    for (auto const& file : segment_files(dir, ec)) {
        std::uint64_t offset = file_header_size;
        if (!started) {
            if (file.filename() != from.file) continue;
            started = true;
            offset = std::max<std::uint64_t>(from.offset, file_header_size);
        }
        // A block at a time, so that a reader that stops early reads little more than it
        // needed; a block grows when a frame does not fit in it.
        std::uint64_t block = first_block;
        for (;;) {
            auto const data = read_file(file, offset, block);
            auto const scan = scan_frames(data, offset);
            for (auto const& f : scan.frames)
                if (!visit(file, f.offset, f.payload)) return;
            if (data.size() < block) break;  // the end of the file (a torn end left unread)
            auto const next = scan.torn_at.value_or(offset + data.size());
            if (next == offset)
                block *= 2;
            else
                offset = next;
        }
    }
    if (ec) throw std::system_error(ec, "list " + dir.string());
}

segments_scan scan_segments(fs::path const& dir, frame_visitor const& visit) {
    segments_scan out;
    std::error_code ec;
    out.files = segment_files(dir, ec);
    if (ec) {
        out.found.push_back(
            {severity::error, "io", "cannot list: " + ec.message(), {.file = dir.string()}});
        return out;
    }
    for (std::size_t i = 0; i < out.files.size(); ++i) {
        auto const& file = out.files[i];
        bool last = i + 1 == out.files.size();
        auto data = read_file(file);
        if (last) out.end = data.size();
        auto problem_at = [&](std::string code, std::string message, std::uint64_t offset) {
            out.found.push_back({severity::error,
                                 std::move(code),
                                 std::move(message),
                                 {.file = file.string(), .offset = offset}});
        };
        if (data.size() < file_header_size && last) {
            out.torn = torn_tail{file, 0, data.size()};
            break;
        }
        auto version = read_file_header(data, segment_magic);
        if (!version) {
            problem_at("bad-segment-header", "not a Candor segment header", 0);
        } else if (*version > format_version) {
            problem_at("newer-format",
                       "segment format " + std::to_string(*version) +
                           " is newer than this Candor reads; upgrade Candor",
                       0);
            continue;
        }
        if (i + 1 != segment_index(file).value_or(0))
            problem_at("missing-segment", "segment files are not numbered 1, 2, 3...", 0);
        if (data.size() < file_header_size) {
            problem_at("torn-frame", "segment shorter than its header", 0);
            continue;
        }
        auto scan = scan_frames(seal::byte_view(data).subspan(file_header_size), file_header_size);
        for (auto const& d : scan.damaged)
            problem_at("damaged-frame",
                       std::to_string(d.length) + " damaged bytes (bad length or CRC)", d.offset);
        for (auto const& f : scan.frames) visit(file, f.offset, f.payload);
        if (last) out.end = scan.end;
        if (scan.torn_at) {
            if (last) {
                // The torn bytes end where the preallocated zeros after them begin.
                auto used = data.size();
                while (used > *scan.torn_at && data[used - 1] == 0) --used;
                out.torn = torn_tail{file, *scan.torn_at, used};
            } else
                problem_at("torn-frame", "segment ends in an unfinished frame", *scan.torn_at);
        }
    }
    return out;
}

void cut_torn_tail(torn_tail const& t) {
    auto data = read_file(t.file);
    if (t.offset < t.size && t.size <= data.size()) {
        auto kept = t.file;
        kept += ".torn-" + std::to_string(t.offset);
        write_file_durably(kept, seal::byte_view(data).subspan(t.offset, t.size - t.offset), {},
                           0600);
    }
    int fd = ::open(t.file.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) throw_errno("open " + t.file.string());
    if (::ftruncate(fd, static_cast<off_t>(t.offset)) != 0 || ::fdatasync(fd) != 0) {
        int err = errno;
        ::close(fd);
        errno = err;
        throw_errno("truncate " + t.file.string());
    }
    ::close(fd);
}

dir_lock::dir_lock(fs::path const& dir, std::chrono::milliseconds wait) {
    fd_ = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd_ < 0) throw_errno("open " + dir.string());
    auto const until = std::chrono::steady_clock::now() + wait;
    while (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
        int const err = errno;
        if ((err != EWOULDBLOCK && err != EINTR) || std::chrono::steady_clock::now() >= until) {
            ::close(fd_);
            fd_ = -1;
            throw std::system_error(err, std::generic_category(),
                                    dir.string() + " is in use by another process");
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

dir_lock& dir_lock::operator=(dir_lock&& o) noexcept {
    if (this != &o) {
        if (fd_ >= 0) ::close(fd_);
        fd_ = std::exchange(o.fd_, -1);
    }
    return *this;
}

dir_lock::~dir_lock() {
    if (fd_ >= 0) ::close(fd_);  // closing releases the flock
}

void sync_directory(fs::path const& dir) {
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) throw_errno("open " + dir.string());
    int rc = ::fsync(fd);
    ::close(fd);
    if (rc != 0) throw_errno("fsync " + dir.string());
}

segment_writer::segment_writer(fs::path dir, segments_scan const& scanned, segment_options options)
    : dir_(std::move(dir)), options_(options) {
    if (scanned.files.empty()) {
        start_segment(1);
        return;
    }
    auto const& last = scanned.files.back();
    index_ = segment_index(last).value_or(static_cast<std::uint32_t>(scanned.files.size()));
    fd_ = ::open(last.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd_ < 0) throw_errno("open " + last.string());
    struct stat st {};
    if (::fstat(fd_, &st) != 0) throw_errno("stat " + last.string());
    allocated_ = static_cast<std::uint64_t>(st.st_size);
    // A scan that did not read the last segment (end 0) leaves its size as the end.
    size_ = scanned.end >= file_header_size ? std::min(allocated_, scanned.end) : allocated_;
    if (allocated_ == 0) {  // created, then the crash came before its header was written
        auto header = file_header(segment_magic);
        write_all(fd_, header, 0, last);
        size_ = allocated_ = header.size();
    }
}

segment_writer::segment_writer(segment_writer&& o) noexcept
    : dir_(std::move(o.dir_)),
      options_(o.options_),
      fd_(std::exchange(o.fd_, -1)),
      index_(o.index_),
      size_(o.size_),
      allocated_(o.allocated_),
      cut_pending_(o.cut_pending_) {}

segment_writer& segment_writer::operator=(segment_writer&& o) noexcept {
    if (this != &o) {
        trim();
        if (fd_ >= 0) ::close(fd_);
        dir_ = std::move(o.dir_);
        options_ = o.options_;
        fd_ = std::exchange(o.fd_, -1);
        index_ = o.index_;
        size_ = o.size_;
        allocated_ = o.allocated_;
        cut_pending_ = o.cut_pending_;
    }
    return *this;
}

segment_writer::~segment_writer() {
    trim();
    if (fd_ >= 0) ::close(fd_);
}

// Not synced: zeros that come back after a crash are read as no frames.
// Whatever allocated_ says: a fallocate that failed may have kept part of its space.
void segment_writer::trim() noexcept {
    if (fd_ >= 0 && options_.sync && ::ftruncate(fd_, static_cast<off_t>(size_)) == 0)
        allocated_ = size_;
}

void segment_writer::start_segment(std::uint32_t index) {
    auto path = segment_path(dir_, index);
    // 0600 whatever the umask: the case log and the outbox hold opened cards.
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) throw_errno("create " + path.string());
    if (::fchmod(fd, 0600) != 0) {
        int err = errno;
        ::close(fd);
        errno = err;
        throw_errno("chmod " + path.string());
    }
    auto header = file_header(segment_magic);
    try {
        write_all(fd, header, 0, path);
        if (options_.sync && ::fdatasync(fd) != 0) throw_errno("fdatasync " + path.string());
        if (options_.sync) sync_directory(dir_);
    } catch (std::system_error const&) {
        // Not a segment yet: gone, so that the next write starts it again.
        ::close(fd);
        ::unlink(path.c_str());
        throw;
    }
    trim();
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
    index_ = index;
    size_ = allocated_ = header.size();
}

bool segment_writer::cut_back() noexcept {
    cut_pending_ = ::ftruncate(fd_, static_cast<off_t>(size_)) != 0 ||
                   (options_.sync && ::fdatasync(fd_) != 0);
    if (!cut_pending_) allocated_ = size_;
    return !cut_pending_;
}

void segment_writer::append(seal::byte_view frames) {
    if (fd_ < 0) throw std::logic_error("segment_writer used after it was moved from");
    auto path = segment_path(dir_, index_);
    if (cut_pending_ && !cut_back()) throw_errno("truncate " + path.string());
    if (size_ > file_header_size && size_ + frames.size() > options_.max_bytes) {
        start_segment(index_ + 1);
        path = segment_path(dir_, index_);
    }
    if (options_.sync && size_ + frames.size() > allocated_) {
        // Whole steps past the frames, within the segment's size; without room or support
        // for it the file just grows with each write.
        auto const want =
            (size_ + frames.size() + preallocate_bytes - 1) / preallocate_bytes * preallocate_bytes;
        auto const to = std::max(std::min(want, options_.max_bytes), size_ + frames.size());
        if (::fallocate(fd_, 0, static_cast<off_t>(allocated_),
                        static_cast<off_t>(to - allocated_)) == 0)
            allocated_ = to;
    }
    try {
        write_all(fd_, frames, size_, path);
        if (options_.sync && ::fdatasync(fd_) != 0) throw_errno("fdatasync " + path.string());
    } catch (std::system_error const&) {
        // Half a write must not stay in front of later frames, nor a whole one whose
        // fdatasync failed be found later as a card no one got a receipt for.
        (void)cut_back();
        throw;
    }
    size_ += frames.size();
}

fs::path segment_writer::file() const {
    return segment_path(dir_, index_);
}

result<void> segment_writer::try_append(seal::byte_view frames) {
    try {
        append(frames);
        return {};
    } catch (std::system_error const& e) {
        int const err = e.code().value();
        return fail(err == ENOSPC || err == EDQUOT ? "disk-full" : "io", e.what(),
                    {.file = dir_.string()});
    }
}

}  // namespace candor::util
