// The sinks that need no library beyond the standard one: callback and Maildir.
#include <system_error>

#include "candor/routing/delivery.hpp"
#include "candor/seal/bytes.hpp"
#include "mail.hpp"
#include "util/file_io.hpp"

namespace candor::routing {

timestamp sink::retry_after(delivery const&) const {
    return 0;
}

sink* sinks::for_channel(channel_kind k) const noexcept {
    switch (k) {
        case channel_kind::email:
            return email;
        case channel_kind::webhook:
            return webhook;
        case channel_kind::callback:
            return callback;
    }
    return nullptr;
}

void callback_sink::add(std::string name, function f) {
    functions_.insert_or_assign(std::move(name), std::move(f));
}

result<void> callback_sink::send(delivery const& d) {
    auto it = functions_.find(d.address);
    if (it == functions_.end()) return fail("no-callback", "no callback named " + d.address);
    try {
        return it->second(d);
    } catch (std::exception const& e) {
        return fail("callback-failed", std::string("callback threw: ") + e.what());
    }
}

maildir_sink::maildir_sink(std::filesystem::path dir, maildir_options options, clock_fn clock,
                           reply_addresses replies)
    : dir_(std::move(dir)),
      options_(std::move(options)),
      clock_(std::move(clock)),
      replies_(std::move(replies)) {}

result<void> maildir_sink::send(delivery const& d) {
    // The messages hold opened cards: the Maildir is 0700 and each message 0600.
    try {
        util::make_private_directory(dir_);
        for (char const* sub : {"tmp", "new", "cur"}) util::make_private_directory(dir_ / sub);
    } catch (std::system_error const& e) {
        return fail("io", e.what(), {.file = dir_.string()});
    }
    auto const id = mail::message_id(d.key);
    auto const msg = mail::compose(d, {options_.from, replies_}, clock_());
    // The Maildir protocol: write in tmp/, sync, then rename into new/, where the MTA looks.
    // The same key gives the same name, so a re-send replaces the identical file.
    auto const name = id.substr(0, id.find('@')) + ".candor";
    try {
        util::write_file_durably(dir_ / "new" / name, seal::as_bytes(msg), dir_ / "tmp" / name,
                                 0600);
    } catch (std::system_error const& e) {
        return fail("io", e.what(), {.file = dir_.string()});
    }
    return {};
}

}  // namespace candor::routing
