// A small real file system for disk-full tests: a tmpfs of a given size mounted on a fresh
// temporary directory (the tests run as root), unmounted and removed at the end. Where
// mounting is not permitted (no root, a container without CAP_SYS_ADMIN) mounted() is
// false and why_not() says why: the test skips, and says so.
#pragma once

#include <sys/mount.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "temp_dir.hpp"

namespace candor::test {

class small_tmpfs {
  public:
    explicit small_tmpfs(std::size_t bytes = 1u << 20) {
        std::string const options = "size=" + std::to_string(bytes) + ",mode=0700";
        if (::mount("tmpfs", dir_.path().c_str(), "tmpfs", MS_NOSUID | MS_NODEV, options.c_str()) ==
            0)
            mounted_ = true;
        else
            why_not_ = std::string("cannot mount a tmpfs: ") + std::strerror(errno);
    }
    ~small_tmpfs() {
        if (mounted_) ::umount2(dir_.path().c_str(), MNT_DETACH);
    }
    small_tmpfs(small_tmpfs const&) = delete;
    small_tmpfs& operator=(small_tmpfs const&) = delete;

    bool mounted() const noexcept { return mounted_; }
    std::string const& why_not() const noexcept { return why_not_; }
    std::filesystem::path const& path() const noexcept { return dir_.path(); }
    std::filesystem::path operator/(std::string const& name) const { return dir_.path() / name; }

    std::uint64_t free_bytes() const {
        struct statvfs s {};
        if (::statvfs(dir_.path().c_str(), &s) != 0) return 0;
        return static_cast<std::uint64_t>(s.f_bavail) * s.f_frsize;
    }
    // Fills the file system with a file named ballast until at most `keep` bytes (whole
    // pages) are free.
    void fill(std::uint64_t keep = 0) {
        std::vector<char> const page(4096, 'x');
        std::ofstream out(dir_.path() / "ballast", std::ios::binary | std::ios::app);
        while (free_bytes() > keep &&
               out.write(page.data(), static_cast<std::streamsize>(page.size())))
            out.flush();
    }
    // Frees what fill() took.
    void free_space() { std::filesystem::remove(dir_.path() / "ballast"); }
    // Files under the tmpfs whose name ends with `suffix` (stray .tmp files of a failed write).
    std::vector<std::filesystem::path> files_ending(std::string const& suffix) const {
        std::vector<std::filesystem::path> out;
        for (auto const& e : std::filesystem::recursive_directory_iterator(dir_.path())) {
            auto const name = e.path().filename().string();
            if (name.size() >= suffix.size() &&
                name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0)
                out.push_back(e.path());
        }
        return out;
    }

  private:
    temp_dir dir_;
    bool mounted_ = false;
    std::string why_not_;
};

}  // namespace candor::test
