// The outbox as events: queue (deliveries, written before any attempt), fail (an attempt
// and when to retry), sent (keys a sink took). Replaying them rebuilds what is still due.
// A checkpoint restates each entry kept ("entry": unsent, or sent within sent_kept_for) in a
// new generation of the log, and the generations before it are removed.
#include "candor/routing/outbox.hpp"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <exception>
#include <map>
#include <mutex>
#include <random>
#include <span>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "util/crc32c.hpp"
#include "util/event_log.hpp"
#include "util/json_text.hpp"

namespace candor::routing {

namespace {

using json = nlohmann::json;
constexpr std::size_t max_errors_reported = 10;

json to_json(delivery const& d) {
    json j = {
        {"key", d.key},         {"person", d.person},        {"channel", to_string(d.channel)},
        {"address", d.address}, {"subject", d.subject},      {"body", d.body},
        {"batch", d.batch},     {"not_before", d.not_before}};
    // Mail's readable parts, when there are any (outboxes of before have none).
    if (!d.text.empty()) j["text"] = d.text;
    if (!d.html.empty()) j["html"] = d.html;
    if (!d.thread.empty()) j["thread"] = d.thread;
    if (!d.unsubscribe_url.empty()) j["unsubscribe_url"] = d.unsubscribe_url;
    if (!d.unsubscribe_mailto.empty()) j["unsubscribe_mailto"] = d.unsubscribe_mailto;
    return j;
}

channel_kind channel_of(std::string const& s) {
    for (auto k : {channel_kind::email, channel_kind::webhook, channel_kind::callback})
        if (to_string(k) == s) return k;
    throw json::other_error::create(501, "unknown channel " + s, nullptr);
}

delivery delivery_of(json const& j) {
    return {j.at("key"),
            j.at("person"),
            channel_of(j.at("channel")),
            j.at("address"),
            j.at("subject"),
            j.at("body"),
            j.at("batch"),
            j.at("not_before"),
            j.value("text", ""),
            j.value("html", ""),
            j.value("thread", ""),
            j.value("unsubscribe_url", ""),
            j.value("unsubscribe_mailto", "")};
}

}  // namespace

timestamp retry_at(timestamp now, std::uint32_t attempts, retry_policy const& policy) {
    timestamp wait = policy.first;
    for (std::uint32_t i = 1; i < attempts && wait < policy.most; ++i) wait *= 2;
    wait = std::min(wait, policy.most);
    thread_local std::minstd_rand random{std::random_device{}()};
    std::uniform_int_distribution<timestamp> jitter(wait / 2, wait);
    return now + std::max<timestamp>(1, jitter(random));
}

struct outbox::impl {
    std::optional<util::event_log> log;
    retry_policy policy;
    std::vector<outbox_entry> entries;
    std::unordered_map<std::string, std::size_t> by_key;
    std::size_t unsent = 0;

    void apply(json const& e) {
        auto const t = e.at("t").get<std::string>();
        timestamp const at = e.at("at");
        if (t == "entry") {
            auto d = delivery_of(e.at("d"));
            if (by_key.count(d.key)) return;
            by_key.emplace(d.key, entries.size());
            entries.push_back({std::move(d), at, e.at("attempts"), e.at("next"), e.at("error"),
                               e.at("sent"), e.at("gone")});
            if (entries.back().sent == 0 && !entries.back().gone) ++unsent;
        } else if (t == "queue") {
            for (auto const& j : e.at("d")) {
                auto d = delivery_of(j);
                if (by_key.count(d.key)) continue;
                by_key.emplace(d.key, entries.size());
                timestamp next = d.not_before;
                entries.push_back({std::move(d), at, 0, next, "", 0});
                ++unsent;
            }
        } else if (t == "sent") {
            for (auto const& k : e.at("keys")) {
                auto it = by_key.find(k.get<std::string>());
                if (it == by_key.end() || entries[it->second].sent != 0) continue;
                entries[it->second].sent = at;
                --unsent;
            }
        } else if (t == "gone") {
            for (auto const& k : e.at("keys")) {
                auto it = by_key.find(k.get<std::string>());
                if (it == by_key.end() || entries[it->second].sent != 0 || entries[it->second].gone)
                    continue;
                entries[it->second].gone = true;
                entries[it->second].last_error = e.at("error");
                --unsent;
            }
        } else if (t == "fail") {
            for (auto const& k : e.at("keys")) {
                auto it = by_key.find(k.get<std::string>());
                if (it == by_key.end()) continue;
                auto& x = entries[it->second];
                ++x.attempts;
                x.next = e.at("next");
                x.last_error = e.at("error");
            }
        }
    }

    void write(json const& e) {
        log->append(e);
        apply(e);
    }
};

result<outbox> outbox::open(std::filesystem::path const& dir, retry_policy policy,
                            journal::segment_options options) {
    auto p = std::make_unique<impl>();
    p->policy = policy;
    auto log = util::event_log::open(dir, options, [&](json const& e) { p->apply(e); });
    if (!log) return unexpected(log.error());
    p->log.emplace(std::move(*log));
    return outbox(std::move(p));
}

outbox::outbox(std::unique_ptr<impl> p) : p_(std::move(p)) {}
outbox::outbox(outbox&&) noexcept = default;
outbox& outbox::operator=(outbox&&) noexcept = default;
outbox::~outbox() = default;

namespace {

// Whether a checkpoint at `now` drops entry `x`. Given up, an entry has no sent time: it
// stays as long as one queued with it would.
bool dropped(outbox_entry const& x, timestamp now) {
    return (x.sent != 0 || x.gone) && std::max(x.sent, x.queued) + sent_kept_for < now;
}

}  // namespace

bool outbox::checkpoint_due(timestamp now) const noexcept {
    if (p_->log->worth_compacting()) return true;
    // Or when time alone has made most of what it holds droppable.
    auto const old = std::count_if(p_->entries.begin(), p_->entries.end(),
                                   [now](outbox_entry const& x) { return dropped(x, now); });
    return old > 0 && 2 * static_cast<std::size_t>(old) > p_->entries.size();
}

void outbox::checkpoint(timestamp now) {
    std::vector<json> snapshot;
    for (auto const& x : p_->entries)
        if (!dropped(x, now))
            snapshot.push_back({{"t", "entry"},
                                {"at", x.queued},
                                {"d", to_json(x.message)},
                                {"attempts", x.attempts},
                                {"next", x.next},
                                {"error", x.last_error},
                                {"sent", x.sent},
                                {"gone", x.gone}});
    p_->log->compact(snapshot, false);
    std::erase_if(p_->entries, [now](outbox_entry const& x) { return dropped(x, now); });
    p_->by_key.clear();
    for (std::size_t i = 0; i < p_->entries.size(); ++i)
        p_->by_key.emplace(p_->entries[i].message.key, i);
}

std::size_t outbox::queue(std::span<delivery const> deliveries, timestamp now) {
    // One event per ~256 KiB of deliveries (a frame holds at most 1 MiB), all in one write.
    constexpr std::size_t event_bytes = 256 * 1024;
    std::vector<json> events;
    json fresh = json::array();
    std::size_t bytes = 0, n = 0;
    std::unordered_set<std::string_view> keys;  // repeats within this call count once
    auto close = [&] {
        if (fresh.empty()) return;
        events.push_back({{"t", "queue"}, {"at", now}, {"d", std::move(fresh)}});
        fresh = json::array();
        bytes = 0;
    };
    for (auto const& d : deliveries) {
        if (p_->by_key.count(d.key) || !keys.insert(d.key).second) continue;
        bytes += d.body.size() + d.text.size() + d.html.size() + d.subject.size() + d.key.size() +
                 d.address.size() + 128;
        fresh.push_back(to_json(d));
        ++n;
        if (bytes >= event_bytes) close();
    }
    close();
    if (events.empty()) return 0;
    p_->log->append_all(events);
    for (auto const& e : events) p_->apply(e);
    return n;
}

bool outbox::queued(std::string_view key) const {
    return p_->by_key.count(std::string(key)) != 0;
}

outbox_entry const* outbox::find(std::string_view key) const {
    auto it = p_->by_key.find(std::string(key));
    return it == p_->by_key.end() ? nullptr : &p_->entries[it->second];
}

send_report outbox::send_due(sinks const& to, timestamp now) {
    send_report report;
    // One message to send: a delivery, or a digest part standing for several.
    struct attempt {
        delivery d;
        std::vector<std::string> keys;
        std::uint32_t attempts;
    };
    std::vector<std::size_t> due;  // entries sent alone, copied a group at a time
    std::vector<attempt> digest_parts;

    // Digest items of one digest (one person, day and channel) go out together, under its key.
    std::map<std::string, std::vector<std::size_t>> digests;
    for (std::size_t i = 0; i < p_->entries.size(); ++i) {
        auto const& x = p_->entries[i];
        if (x.sent != 0 || x.gone) continue;
        if (x.next > now)
            ++report.waiting;
        else if (!x.message.batch.empty())
            digests[x.message.batch].push_back(i);
        else
            due.push_back(i);
    }
    for (auto const& [key, all] : digests) {
        auto const& first = p_->entries[all.front()].message;
        std::size_t const parts = (all.size() + max_digest_items - 1) / max_digest_items;
        for (std::size_t part = 0; part < parts; ++part) {
            std::span<std::size_t const> items(all);
            items = items.subspan(part * max_digest_items,
                                  std::min(max_digest_items, all.size() - part * max_digest_items));
            delivery d = first;
            d.key = key;
            d.batch.clear();
            d.subject = "Guest feedback digest: " + std::to_string(items.size()) + " responses";
            json body = {{"digest", first.batch}, {"to", first.person}, {"items", json::array()}};
            d.text.clear();
            d.html.clear();
            d.thread.clear();  // a digest is about many cases
            std::vector<std::string> keys;
            std::uint32_t attempts = 0;
            std::uint32_t crc = 0;
            for (auto i : items) {
                auto const& x = p_->entries[i];
                auto item = util::parse_json(x.message.body, util::max_event_depth);
                body["items"].push_back(item ? std::move(*item) : json(x.message.body));
                if (!x.message.text.empty())
                    d.text += (d.text.empty() ? "" : "\n\n----\n\n") + x.message.text;
                if (!x.message.html.empty())
                    d.html += (d.html.empty() ? "" : "<hr>") + x.message.html;
                keys.push_back(x.message.key);
                crc = util::crc32c(seal::as_bytes(x.message.key + '\n'), crc);
                attempts = std::max(attempts, x.attempts);
            }
            // A part's key names its items: a retry of the same items is the same message to
            // the receiver, and a part holding other items never looks like one.
            char tag[10];
            std::snprintf(tag, sizeof tag, "/%08x", crc);
            d.key.insert(d.key.rfind('/'), tag);
            if (parts > 1)
                d.subject +=
                    " (part " + std::to_string(part + 1) + " of " + std::to_string(parts) + ")";
            d.body = body.dump();
            digest_parts.push_back({std::move(d), std::move(keys), attempts});
        }
    }

    // Sent a group at a time, each group's outcomes written with one sync: a crash re-sends
    // at most one group, with its keys. Within a group, a sink that takes several at once
    // (sink::parallel) is sent to from that many threads.
    constexpr std::size_t group = 64;
    std::vector<result<void>> outcome;
    std::vector<attempt> part;
    std::size_t const total = due.size() + digest_parts.size();
    for (std::size_t begin = 0; begin < total; begin += group) {
        part.clear();
        for (std::size_t k = begin; k < std::min(total, begin + group); ++k)
            if (k < due.size()) {
                auto const& x = p_->entries[due[k]];
                part.push_back({x.message, {x.message.key}, x.attempts});
            } else {
                part.push_back(std::move(digest_parts[k - due.size()]));
            }
        outcome.assign(part.size(), result<void>{});  // each one a sink's is set below
        std::vector<sink*> sink_of(part.size());
        std::vector<std::size_t> alone;
        struct shared_work {
            std::vector<std::size_t> items;
            std::atomic<std::size_t> next{0};
        };
        std::map<sink*, shared_work> together;
        for (std::size_t i = 0; i < part.size(); ++i) {
            sink* s = sink_of[i] = to.for_channel(part[i].d.channel);
            if (s) (s->parallel() > 1 ? together[s].items : alone).push_back(i);
        }
        // What a sink throws (a broken invariant) leaves send_due as it did on one thread.
        std::mutex thrown_mutex;
        std::exception_ptr thrown;
        auto const send = [&](std::size_t i) {
            try {
                outcome[i] = sink_of[i]->send(part[i].d);
            } catch (...) {
                std::lock_guard lock(thrown_mutex);
                if (!thrown) thrown = std::current_exception();
            }
        };
        {
            std::vector<std::jthread> threads;
            for (auto& [s, work] : together)
                for (std::size_t t = 0; t < std::min(s->parallel(), work.items.size()); ++t)
                    threads.emplace_back([&work, &send] {
                        for (std::size_t k; (k = work.next++) < work.items.size();)
                            send(work.items[k]);
                    });
            for (auto i : alone) send(i);
        }  // joined
        if (thrown) std::rethrow_exception(thrown);

        std::vector<json> outcomes;
        json sent_keys = json::array();
        for (std::size_t i = 0; i < part.size(); ++i) {
            auto const& [d, keys, attempts] = part[i];
            sink* s = sink_of[i];
            if (!s) {
                report.waiting += keys.size();
                continue;
            }
            auto const& ok = outcome[i];
            if (ok) {
                report.sent += keys.size();
                for (auto const& k : keys) sent_keys.push_back(k);
                continue;
            }
            auto const& why = ok.error().front();
            bool const gone = why.code == "gone";
            (gone ? report.gone : report.failed) += keys.size();
            if (report.failures.size() < max_errors_reported)
                report.failures.push_back({why.level, why.code, d.key + ": " + why.message});
            if (gone)
                outcomes.push_back(
                    {{"t", "gone"}, {"at", now}, {"keys", keys}, {"error", why.message}});
            else
                outcomes.push_back({{"t", "fail"},
                                    {"at", now},
                                    {"keys", keys},
                                    {"error", why.message},
                                    {"next", std::max(retry_at(now, attempts + 1, p_->policy),
                                                      now + s->retry_after(d))}});
        }
        if (!sent_keys.empty())
            outcomes.push_back({{"t", "sent"}, {"at", now}, {"keys", std::move(sent_keys)}});
        if (outcomes.empty()) continue;
        p_->log->append_all(outcomes);
        for (auto const& e : outcomes) p_->apply(e);
    }
    return report;
}

std::vector<outbox_entry> const& outbox::entries() const noexcept {
    return p_->entries;
}
std::size_t outbox::unsent() const noexcept {
    return p_->unsent;
}

}  // namespace candor::routing
