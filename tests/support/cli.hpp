// Runs the `candor` tool as a person or a kiosk would: run_cli() with a file as standard
// input, or a cli_session whose standard input is a pipe the test writes to line by line
// and whose output it reads as it comes.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "temp_dir.hpp"

extern char** environ;

namespace candor::test {

inline std::string const candor_cli = CANDOR_BINARY_DIR "/examples/candor";

inline std::string read_text(std::filesystem::path const& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

struct cli_result {
    int status = -1;  // the exit code, or 128 + the signal that ended it
    std::string out, err;
};

inline int wait_status(pid_t pid) {
    int status = 0;
    if (::waitpid(pid, &status, 0) != pid) return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

inline pid_t spawn_cli(std::vector<std::string> const& args, posix_spawn_file_actions_t* files) {
    std::vector<char*> argv{const_cast<char*>(candor_cli.c_str())};
    for (auto const& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    pid_t pid = -1;
    if (::posix_spawn(&pid, candor_cli.c_str(), files, nullptr, argv.data(), environ) != 0) return -1;
    return pid;
}

// `candor ARGS...` with `input` as its standard input, to the end.
inline cli_result run_cli(std::vector<std::string> const& args, std::string const& input = {}) {
    temp_dir io;
    std::ofstream(io / "in", std::ios::binary) << input;
    posix_spawn_file_actions_t files;
    ::posix_spawn_file_actions_init(&files);
    ::posix_spawn_file_actions_addopen(&files, 0, (io / "in").c_str(), O_RDONLY, 0);
    ::posix_spawn_file_actions_addopen(&files, 1, (io / "out").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ::posix_spawn_file_actions_addopen(&files, 2, (io / "err").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    pid_t const pid = spawn_cli(args, &files);
    ::posix_spawn_file_actions_destroy(&files);
    cli_result r;
    if (pid < 0) return r;
    r.status = wait_status(pid);
    r.out = read_text(io / "out");
    r.err = read_text(io / "err");
    return r;
}

// `candor ARGS...` reading a pipe: send() writes to it, read_line() waits for a line of
// its standard output, finish() closes the pipe and waits for the exit.
class cli_session {
public:
    explicit cli_session(std::vector<std::string> const& args) {
        int in[2], out[2];
        if (::pipe(in) != 0 || ::pipe(out) != 0) return;
        ::signal(SIGPIPE, SIG_IGN);  // a tool that died must fail the test, not kill it
        posix_spawn_file_actions_t files;
        ::posix_spawn_file_actions_init(&files);
        ::posix_spawn_file_actions_adddup2(&files, in[0], 0);
        ::posix_spawn_file_actions_adddup2(&files, out[1], 1);
        ::posix_spawn_file_actions_addopen(&files, 2, (io_ / "err").c_str(),
                                           O_WRONLY | O_CREAT | O_TRUNC, 0600);
        ::posix_spawn_file_actions_addclose(&files, in[1]);
        ::posix_spawn_file_actions_addclose(&files, out[0]);
        pid_ = spawn_cli(args, &files);
        ::posix_spawn_file_actions_destroy(&files);
        ::close(in[0]);
        ::close(out[1]);
        to_ = in[1];
        from_ = out[0];
    }
    ~cli_session() {
        if (pid_ > 0) {
            ::kill(pid_, SIGKILL);
            finish();
        }
        if (from_ >= 0) ::close(from_);
    }
    cli_session(cli_session const&) = delete;
    cli_session& operator=(cli_session const&) = delete;

    bool started() const noexcept { return pid_ > 0; }
    bool send(std::string const& text) {
        std::size_t done = 0;
        while (done < text.size()) {
            auto n = ::write(to_, text.data() + done, text.size() - done);
            if (n <= 0) return false;
            done += static_cast<std::size_t>(n);
        }
        return true;
    }
    // The next line of standard output, without its newline; nullopt at its end or after
    // `timeout` without one.
    std::optional<std::string> read_line(std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
        auto const until = std::chrono::steady_clock::now() + timeout;
        for (;;) {
            if (auto nl = buffer_.find('\n'); nl != std::string::npos) {
                std::string line = buffer_.substr(0, nl);
                buffer_.erase(0, nl + 1);
                return line;
            }
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
            if (left.count() <= 0) return std::nullopt;
            pollfd p{from_, POLLIN, 0};
            if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return std::nullopt;
            char chunk[4096];
            auto n = ::read(from_, chunk, sizeof chunk);
            if (n <= 0) return std::nullopt;
            buffer_.append(chunk, static_cast<std::size_t>(n));
        }
    }
    int finish() {
        if (to_ >= 0) ::close(to_), to_ = -1;
        int status = pid_ > 0 ? wait_status(pid_) : -1;
        pid_ = -1;
        return status;
    }
    std::string err() const { return read_text(io_ / "err"); }

private:
    temp_dir io_;
    pid_t pid_ = -1;
    int to_ = -1, from_ = -1;
    std::string buffer_;
};

}  // namespace candor::test
