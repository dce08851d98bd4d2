// The floor every durable write is measured against: appending a block and fdatasync, in a
// scratch folder of the current directory (put that on the disk you care about).
#pragma once

#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <stdexcept>
#include <string>

namespace candor::bench {

struct scratch {
    std::filesystem::path path;
    explicit scratch(std::string const& name)
        : path(std::filesystem::current_path() / ("bench-" + name)) {
        std::filesystem::remove_all(path);
        std::filesystem::create_directories(path);
    }
    ~scratch() { std::filesystem::remove_all(path); }
};

// Appends `bytes` and fdatasyncs, once per iteration.
inline void floor_write_fdatasync(benchmark::State& state, std::size_t bytes) {
    scratch dir("floor");
    int fd = ::open((dir.path / "f").c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    std::string block(bytes, 'x');
    for (auto _ : state) {
        if (::write(fd, block.data(), block.size()) != static_cast<ssize_t>(block.size()) ||
            ::fdatasync(fd) != 0)
            throw std::runtime_error("write failed");
    }
    ::close(fd);
    state.counters["bytes"] = static_cast<double>(block.size());
}

// The cheapest durable append this disk allows: into space fallocate gave the file
// beforehand, so that the fdatasync flushes the block without a new file size.
inline void floor_preallocated_fdatasync(benchmark::State& state, std::size_t bytes) {
    scratch dir("floor-prealloc");
    int fd = ::open((dir.path / "f").c_str(), O_WRONLY | O_CREAT, 0644);
    std::string block(bytes, 'x');
    off_t const room = 256 << 20;
    if (fd < 0 || ::fallocate(fd, 0, 0, room) != 0 || ::fsync(fd) != 0)
        throw std::runtime_error("fallocate failed");
    off_t at = 0;
    for (auto _ : state) {
        if (at + static_cast<off_t>(bytes) > room) at = 0;
        if (::pwrite(fd, block.data(), block.size(), at) != static_cast<ssize_t>(block.size()) ||
            ::fdatasync(fd) != 0)
            throw std::runtime_error("write failed");
        at += static_cast<off_t>(bytes);
    }
    ::close(fd);
}

}  // namespace candor::bench
