#include "util/file_io.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <system_error>
#include <utility>

#include "util/segments.hpp"

namespace candor::util {

void throw_errno(std::string const& what) {
    throw std::system_error(errno, std::generic_category(), what);
}

seal::bytes read_file(std::filesystem::path const& file, std::uint64_t from, std::uint64_t most) {
    int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw_errno("open " + file.string());
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        ::close(fd);
        throw_errno("stat " + file.string());
    }
    auto const size = static_cast<std::uint64_t>(st.st_size);
    seal::bytes data(static_cast<std::size_t>(size > from ? std::min(size - from, most) : 0));
    std::size_t done = 0;
    while (done < data.size()) {
        ssize_t n =
            ::pread(fd, data.data() + done, data.size() - done, static_cast<off_t>(from + done));
        if (n < 0 && errno == EINTR) continue;
        if (n == 0) break;
        if (n < 0) {
            int err = errno;
            ::close(fd);
            errno = err;
            throw_errno("read " + file.string());
        }
        done += static_cast<std::size_t>(n);
    }
    data.resize(done);
    ::close(fd);
    return data;
}

void write_all(int fd, seal::byte_view data, std::uint64_t offset,
               std::filesystem::path const& file) {
    std::size_t done = 0;
    while (done < data.size()) {
        ssize_t n =
            ::pwrite(fd, data.data() + done, data.size() - done, static_cast<off_t>(offset + done));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw_errno("write " + file.string());
        done += static_cast<std::size_t>(n);
    }
}

void write_file_durably(std::filesystem::path const& file, seal::byte_view data,
                        std::filesystem::path tmp, unsigned mode) {
    if (tmp.empty()) {
        tmp = file;
        tmp += ".tmp";
    }
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd < 0) throw_errno("create " + tmp.string());
    try {
        if (::fchmod(fd, mode) != 0) throw_errno("chmod " + tmp.string());
        write_all(fd, data, 0, tmp);
        if (::fdatasync(fd) != 0) throw_errno("fdatasync " + tmp.string());
        if (::close(std::exchange(fd, -1)) != 0) throw_errno("close " + tmp.string());
        if (::rename(tmp.c_str(), file.c_str()) != 0) throw_errno("rename " + tmp.string());
    } catch (...) {
        // A full disk must not leave a half file behind for the next reader to trip on.
        if (fd >= 0) ::close(fd);
        ::unlink(tmp.c_str());
        throw;
    }
    sync_directory(file.parent_path().empty() ? std::filesystem::path(".") : file.parent_path());
}

void make_private_directory(std::filesystem::path const& dir) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) throw std::system_error(ec, "create " + dir.string());
    if (::chmod(dir.c_str(), 0700) != 0) throw_errno("chmod " + dir.string());
}

}  // namespace candor::util
