#include "util/file_io.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

#include "util/segments.hpp"

namespace candor::util {

void throw_errno(std::string const& what) {
    throw std::system_error(errno, std::generic_category(), what);
}

seal::bytes read_file(std::filesystem::path const& file) {
    int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw_errno("open " + file.string());
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        ::close(fd);
        throw_errno("stat " + file.string());
    }
    seal::bytes data(static_cast<std::size_t>(st.st_size));
    std::size_t done = 0;
    while (done < data.size()) {
        ssize_t n = ::read(fd, data.data() + done, data.size() - done);
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
                        std::filesystem::path tmp) {
    if (tmp.empty()) {
        tmp = file;
        tmp += ".tmp";
    }
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) throw_errno("create " + tmp.string());
    try {
        write_all(fd, data, 0, tmp);
        if (::fdatasync(fd) != 0) throw_errno("fdatasync " + tmp.string());
    } catch (...) {
        // A disk that is full must not also keep half a file: the next try starts clean.
        ::close(fd);
        ::unlink(tmp.c_str());
        throw;
    }
    ::close(fd);
    if (::rename(tmp.c_str(), file.c_str()) != 0) {
        int const e = errno;
        ::unlink(tmp.c_str());
        errno = e;
        throw_errno("rename " + tmp.string());
    }
    sync_directory(file.parent_path().empty() ? std::filesystem::path(".") : file.parent_path());
}

}  // namespace candor::util
