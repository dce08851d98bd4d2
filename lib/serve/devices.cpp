#include "devices.hpp"

#include <charconv>
#include <map>
#include <mutex>
#include <optional>
#include <system_error>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "candor/journal/bundle.hpp"
#include "candor/journal/store.hpp"
#include "candor/sync/push.hpp"
#include "candor/sync/request.hpp"
#include "util/event_log.hpp"

namespace candor::serve::detail {

using namespace kiosk::http;
using json = nlohmann::json;

namespace {

constexpr char head_path[] = "/d/head";
constexpr char push_path[] = "/d/push";

// A JSON problem: the first error's code and message, and every error found.
void problem(httplib::Response& res, int status, errors const& found) {
    auto list = json::array();
    for (auto const& e : found)
        if (e.level == severity::error)
            list.push_back({{"code", e.code}, {"message", e.message}, {"seq", e.where.seq}});
    auto const& first = found.front();
    res.status = status;
    res.set_content(json{{"error", first.message}, {"code", first.code}, {"problems", list}}.dump(
                        -1, ' ', false, json::error_handler_t::replace),
                    json_type);
}

int status_of(std::string_view code) {
    if (code == "unknown-device" || code == "revoked-device") return 403;
    if (code == "busy") return 503;
    return 401;
}

json held_json(std::string const& device, journal::held_chain const& h) {
    return {{"device", device}, {"seq", h.seq}, {"hash", seal::to_hex(h.hash)}};
}

}  // namespace

struct device_routes::impl {
    impl(device_intake i, util::event_log log, std::function<std::int64_t()> c)
        : in(std::move(i)), clock(std::move(c)), log(std::move(log)) {}

    device_intake in;
    std::function<std::int64_t()> clock;
    std::mutex mutex;  // the store and the log: one import at a time
    // Open only while a request uses it: between pushes the store's lock is free for
    // `route run`, `report` and `hq import` on the same store.
    std::optional<journal::store> store;
    sync::nonce_book nonces;
    util::event_log log;  // the cards received: {"t":"received",device,seq,receipt,time} each
    mutable std::mutex received_mutex;
    std::map<std::string, std::unordered_map<std::uint64_t, received_card>, std::less<>> cards;

    bool has(std::string const& device, std::uint64_t seq) const {
        std::lock_guard lock(received_mutex);
        auto d = cards.find(device);
        return d != cards.end() && d->second.contains(seq);
    }

    // Keeps `records` (every one in the store) as received at `time`, with one fdatasync.
    void remember(std::vector<journal::record const*> const& records, std::int64_t time) {
        std::vector<json> events;
        for (auto const* r : records)
            if (!has(r->device, r->seq))
                events.push_back({{"t", "received"},
                                  {"device", r->device},
                                  {"seq", r->seq},
                                  {"receipt", journal::receipt(*r)},
                                  {"time", time}});
        if (events.empty()) return;
        log.append_all(events);
        std::lock_guard lock(received_mutex);
        for (auto const& e : events)
            cards[e["device"].get<std::string>()][e["seq"].get<std::uint64_t>()] = {
                e["receipt"].get<std::string>(), time};
    }

    // The request's signature checked; the device, or the answer given.
    std::optional<std::string> signer(httplib::Request const& req, httplib::Response& res,
                                      std::string_view body) {
        sync::request_signature s{req.get_header_value(sync::device_header), 0,
                                  req.get_header_value(sync::nonce_header),
                                  req.get_header_value(sync::signature_header)};
        auto const t = req.get_header_value(sync::time_header);
        auto const [end, ec] = std::from_chars(t.data(), t.data() + t.size(), s.time);
        if (ec != std::errc() || end != t.data() + t.size() || s.device.empty()) {
            problem(res, 401,
                    {{severity::error, "bad-request",
                      "a device signs its request: Candor-Device, Candor-Time, Candor-Nonce and "
                      "Candor-Signature (docs/journal-format.md)"}});
            return std::nullopt;
        }
        auto ok =
            nonces.check(in.devices, s, req.method, req.target, seal::as_bytes(body), clock());
        if (!ok) {
            problem(res, status_of(ok.error().front().code), ok.error());
            return std::nullopt;
        }
        return s.device;
    }

    // Closes the store when the request is done with it.
    struct closing {
        std::optional<journal::store>& store;
        ~closing() { store.reset(); }
    };

    // Opens the store for one request; 503 (the device retries later) while another
    // command holds it or it cannot be opened.
    bool ready(httplib::Response& res) {
        auto opened = journal::store::open(in.store);
        if (opened) {
            store.emplace(std::move(*opened));
            return true;
        }
        res.set_header("Retry-After", "5");
        problem(res, 503,
                {{severity::error, opened.error().front().code == "in-use" ? "busy" : "io",
                  "head office's store cannot be opened now: " + opened.error().front().message}});
        return false;
    }

    void head(httplib::Request const& req, httplib::Response& res) {
        auto device = signer(req, res, {});
        if (!device) return;
        if (req.get_param_value("device") != *device)
            return problem(res, 403,
                           {{severity::error, "foreign-device", "a device asks for its own head"}});
        std::lock_guard lock(mutex);
        if (!ready(res)) return;
        closing done{store};
        res.set_content(held_json(*device, store->held(*device)).dump(), json_type);
    }

    void push(httplib::Request const& req, httplib::Response& res,
              httplib::ContentReader const& read) {
        auto body = read_body(req, res, read, sync::max_push_bytes, "a push");
        if (!body) return;
        auto device = signer(req, res, *body);
        if (!device) return;
        std::lock_guard lock(mutex);
        if (!ready(res)) return;
        closing done{store};
        journal::import_report report;
        try {
            report = store->import_whole(
                {"push from " + *device, seal::bytes(body->begin(), body->end())}, *device,
                in.devices, in.hq);
        } catch (std::system_error const& e) {
            return problem(res, 503,
                           {{severity::error, "io",
                             std::string("the push could not be stored: ") + e.what()}});
        }
        if (report.refused_any()) {
            errors refused;
            for (auto const& e : report.found)
                if (e.level == severity::error) refused.push_back(e);
            return problem(res, 422, refused);
        }
        // Every card of the push is in the store now (accepted, or there from before).
        auto const pushed = journal::decode_bundle(seal::as_bytes(*body), "push");
        std::vector<journal::record const*> records;
        for (auto const& r : pushed.records)
            if (r.value.device == *device) records.push_back(&r.value);
        try {
            remember(records, clock());
        } catch (std::system_error const&) {
            // The cards are stored, which is what the device asked; the next start finds
            // them missing from the log and adds them.
        }
        auto out = held_json(*device, store->held(*device));
        out["accepted"] = report.accepted;
        out["duplicates"] = report.duplicates;
        res.set_content(out.dump(), json_type);
    }
};

device_routes::device_routes(std::unique_ptr<impl> p) : p_(std::move(p)) {}
device_routes::~device_routes() = default;

result<std::unique_ptr<device_routes>> device_routes::open(device_intake in,
                                                           std::filesystem::path const& received,
                                                           std::function<std::int64_t()> clock) {
    std::map<std::string, std::unordered_map<std::uint64_t, received_card>, std::less<>> cards;
    auto log = util::event_log::open(received, {}, [&](json const& e) {
        cards[e.at("device").get<std::string>()][e.at("seq").get<std::uint64_t>()] = {
            e.at("receipt").get<std::string>(), e.at("time").get<std::int64_t>()};
    });
    if (!log) return unexpected(std::move(log).error());
    // Opened once here to refuse a wrong path at start and to find what the log lacks;
    // closed until a device pushes.
    auto store = journal::store::open(in.store);
    if (!store) return unexpected(std::move(store).error());
    auto p = std::make_unique<impl>(std::move(in), std::move(*log), std::move(clock));
    p->cards = std::move(cards);
    // A device's cards 1 to held.seq are all in the store: one missing from the log means
    // the store must be read (rarely: after a crash, or cards carried by hand).
    bool lacking = false;
    for (auto const& d : p->in.devices.devices)
        for (std::uint64_t seq = store->held(d.id).seq; seq > 0 && !lacking; --seq)
            lacking = !p->has(d.id, seq);
    if (lacking) {
        std::vector<journal::record> found;
        try {
            store->for_each([&](journal::record const& r) {
                if (p->in.devices.find(r.device) && !p->has(r.device, r.seq)) found.push_back(r);
            });
            std::vector<journal::record const*> records;
            for (auto const& r : found) records.push_back(&r);
            p->remember(records, p->clock());
        } catch (std::system_error const& e) {
            return fail("io", std::string("cannot read the store or write the cards received: ") +
                                  e.what());
        }
    }
    return std::unique_ptr<device_routes>(new device_routes(std::move(p)));
}

std::optional<device_routes::received_card> device_routes::received(std::string_view device,
                                                                    std::uint64_t seq) const {
    std::lock_guard lock(p_->received_mutex);
    auto d = p_->cards.find(device);
    if (d == p_->cards.end()) return std::nullopt;
    auto it = d->second.find(seq);
    if (it == d->second.end()) return std::nullopt;
    return it->second;
}

bool device_routes::knows(std::string_view device) const noexcept {
    return p_->in.devices.find(device) != nullptr;
}

std::string_view device_routes::method_of(std::string_view path) noexcept {
    if (path == head_path) return "GET";
    if (path == push_path) return "POST";
    return {};
}

std::size_t device_routes::body_bytes() noexcept {
    return sync::max_push_bytes;
}

std::size_t device_routes::request_bytes() noexcept {
    return sync::max_push_bytes + 16 * 1024;
}

void device_routes::add(hardened_server& http) {
    http.Get(head_path, [p = p_.get()](httplib::Request const& req, httplib::Response& res) {
        p->head(req, res);
    });
    http.Post(push_path,
              [p = p_.get()](httplib::Request const& req, httplib::Response& res,
                             httplib::ContentReader const& read) { p->push(req, res, read); });
}

}  // namespace candor::serve::detail
