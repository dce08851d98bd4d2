// candor sync: pushes a device's journal to head office's server once (candor::sync::push):
// what the server does not confirm holding, resumed from its confirmation, retried with
// backoff. A systemd timer or cron runs it (docs/serve.md, "Devices").
#include <iostream>

#include "candor/sync/push.hpp"
#include "commands.hpp"
#include "io.hpp"

namespace candor::cli {

struct sync_options {
    std::string journal;
    std::string device_key;
    std::string server;
    int attempts = sync::push_attempts;
};

int run_sync(sync_options const& opts) {
    auto key = load_device_key(opts.device_key);
    if (!key) return 2;
    sync::push_settings s;
    s.server = opts.server;
    s.attempts = opts.attempts;
    auto pushed = sync::push(opts.journal, *key, s);
    if (!pushed) {
        std::cerr << render(pushed.error());
        return pushed.error().front().code == "unreachable" ? 1 : 2;
    }
    std::cout << key->id << ": " << pushed->sent << " sent, " << pushed->accepted << " accepted, "
              << pushed->duplicates << " already had; head office holds cards 1-"
              << pushed->held.seq << '\n';
    return 0;
}

void setup_sync(CLI::App& app) {
    auto opts = std::make_shared<sync_options>();
    auto* sub = app.add_subcommand(
        "sync", "Push the journal's new cards to head office's server (candor serve --store)");
    sub->add_option("--journal", opts->journal, "The device's journal directory")->required();
    sub->add_option("--device-key", opts->device_key, "The device's secret key (ID.key)")
        ->required();
    sub->add_option("--server", opts->server, "Head office's server, http(s)://HOST:PORT")
        ->required();
    sub->add_option("--attempts", opts->attempts, "Tries before giving up (pauses double)")
        ->check(CLI::Range(1, 20))
        ->capture_default_str();
    sub->callback([opts] { exit_code() = run_sync(*opts); });
}

}  // namespace candor::cli
