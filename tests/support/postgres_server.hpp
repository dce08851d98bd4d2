// A private PostgreSQL 15 server for one test binary: initdb into a fresh temporary
// directory, pg_ctl start on a unix socket of its own (no TCP at all), as the unprivileged
// user `postgres` when the tests run as root; stopped (pg_ctl stop -m fast) and removed when
// the binary ends, failed tests or not. Without Debian's postgresql-15 binaries, it fails
// the test that asked for it with what to install (setup.sh installs them).
#pragma once

#include <fcntl.h>
#include <pwd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace candor::test {

class postgres_server {
  public:
    static constexpr char const* bin_dir = "/usr/lib/postgresql/15/bin";

    postgres_server() {
        namespace fs = std::filesystem;
        for (auto const* tool : {"initdb", "pg_ctl", "postgres", "psql"})
            if (!fs::exists(fs::path(bin_dir) / tool))
                throw std::runtime_error(std::string("PostgreSQL 15 is not installed: ") + bin_dir +
                                         "/" + tool +
                                         " is missing (apt-get install postgresql-15, or "
                                         "./setup.sh deps)");
        std::string pattern = (fs::temp_directory_path() / "candor-pg-XXXXXX").string();
        if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
        dir_ = pattern;
        fs::create_directories(dir_ / "sock");
        if (::geteuid() == 0) {
            auto const* pw = ::getpwnam("postgres");
            if (pw == nullptr)
                throw std::runtime_error(
                    "tests run as root need the user `postgres` "
                    "(apt-get install postgresql-15 makes it)");
            for (auto const& p : {dir_, dir_ / "sock"})
                if (::chown(p.c_str(), pw->pw_uid, pw->pw_gid) != 0)
                    throw std::runtime_error("cannot chown " + p.string());
            as_postgres_ = true;
        }
        fs::permissions(dir_, fs::perms::owner_all);
        check(run({tool("initdb"), "-D", data(), "-A", "trust", "-U", "postgres", "-E", "UTF8",
                   "--no-sync"}),
              "initdb");
        start();
    }
    ~postgres_server() {
        if (running_) (void)run({tool("pg_ctl"), "-D", data(), "-m", "fast", "-w", "stop"});
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
    }
    postgres_server(postgres_server const&) = delete;
    postgres_server& operator=(postgres_server const&) = delete;

    // One server for the whole test binary, started on first use.
    static postgres_server& shared() {
        static postgres_server server;
        return server;
    }

    void start() {
        check(run({tool("pg_ctl"), "-D", data(), "-w", "-l", (dir_ / "log").string(), "-o",
                   "-k " + (dir_ / "sock").string() + " -p " + std::to_string(port) +
                       " -c listen_addresses='' -c fsync=on",
                   "start"}),
              "pg_ctl start");
        running_ = true;
    }
    void stop() {
        check(run({tool("pg_ctl"), "-D", data(), "-m", "fast", "-w", "stop"}), "pg_ctl stop");
        running_ = false;
    }
    // Ends every session (as a crash or an upgrade would) and starts again.
    void restart() {
        check(run({tool("pg_ctl"), "-D", data(), "-m", "fast", "-w", "-l", (dir_ / "log").string(),
                   "restart"}),
              "pg_ctl restart");
    }

    std::string location(std::string const& db = "postgres") const {
        return "host=" + (dir_ / "sock").string() + " port=" + std::to_string(port) +
               " user=postgres dbname=" + db;
    }
    std::string socket_dir() const { return (dir_ / "sock").string(); }
    // A fresh empty database: its location.
    std::string create_database() {
        std::string name = "t";
        name += std::to_string(++databases_);
        std::string statement = "CREATE DATABASE ";
        statement += name;
        sql(statement);
        return location(name);
    }
    // Runs `statement` with psql; its output, unaligned and without headers.
    std::string sql(std::string const& statement, std::string const& db = "postgres") {
        auto out = dir_ / "psql.out";
        auto status = run({tool("psql"), "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-d",
                           location(db), "-c", statement, "-o", out.string()});
        check(status, "psql -c " + statement);
        std::ifstream in(out);
        std::stringstream s;
        s << in.rdbuf();
        auto text = s.str();
        while (!text.empty() && text.back() == '\n') text.pop_back();
        return text;
    }

    // The socket's name only: with listen_addresses='' nothing listens on TCP.
    static constexpr int port = 55432;

  private:
    std::string tool(char const* name) const { return std::string(bin_dir) + "/" + name; }
    std::string data() const { return (dir_ / "data").string(); }

    void check(int status, std::string const& what) const {
        if (status == 0) return;
        std::ifstream log(dir_ / "log");
        std::stringstream s;
        s << log.rdbuf();
        throw std::runtime_error(what + " failed (status " + std::to_string(status) +
                                 "); server log:\n" + s.str());
    }

    // Runs a tool, as `postgres` when the tests run as root; its exit status.
    int run(std::vector<std::string> args) const {
        if (as_postgres_) args.insert(args.begin(), {"runuser", "-u", "postgres", "--"});
        std::vector<char*> argv;
        for (auto& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        auto const pid = ::fork();
        if (pid < 0) return -1;
        if (pid == 0) {
            if (::chdir(dir_.c_str()) != 0) ::_exit(126);
            // The tools' chatter ("waiting for server to start...") goes to a file.
            auto const fd =
                ::open((dir_ / "tools.log").c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
            if (fd >= 0) ::dup2(fd, 1);
            ::execvp(argv[0], argv.data());
            ::_exit(127);
        }
        int status = 0;
        while (::waitpid(pid, &status, 0) < 0) {
        }
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }

    std::filesystem::path dir_;
    bool as_postgres_ = false;
    bool running_ = false;
    int databases_ = 0;
};

}  // namespace candor::test
