#include "candor/serve/server.hpp"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <map>
#include <mutex>
#include <span>
#include <system_error>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "candor/journal/inspect.hpp"
#include "candor/journal/intake.hpp"
#include "candor/journal/shared_journal.hpp"
#include "candor/kiosk/assets.hpp"
#include "candor/kiosk/desk.hpp"
#include "candor/kiosk/page_model.hpp"
#include "candor/kiosk/server.hpp"
#include "candor/seal/receipt.hpp"
#include "candor/time.hpp"
#include "desk.hpp"
#include "devices.hpp"
#include "kiosk/http.hpp"
#include "optout.hpp"
#include "rate.hpp"
#include "util/file_io.hpp"
#include "util/json_text.hpp"

namespace candor::serve {

namespace fs = std::filesystem;
using namespace kiosk::http;

namespace {

// A guest on a phone may put it down for a while: the page starts over only after this
// (the draft of an invitation survives it).
constexpr std::uint32_t web_idle_seconds = 3600;
// All one request may send, its line, headers and chunked framing included.
constexpr std::size_t max_request_bytes = 2 * kiosk::max_submit_bytes + 16 * 1024;
constexpr char html_type[] = "text/html; charset=utf-8";
// How often drafts past their lifetime are deleted (at start, then on a save this long after
// the last sweep); until then they are already refused when read.
constexpr std::int64_t sweep_interval = 3600;

bool link_name_ok(std::string_view s) {
    return !s.empty() && s.size() <= max_link_name_bytes &&
           std::all_of(s.begin(), s.end(),
                       [](unsigned char c) {
                           return std::isalnum(c) || c == '-' || c == '_' || c == '.';
                       }) &&
           s != "." && s != "..";
}

// A page of its own for what is not a card: the page's stylesheet, no script. Every text in
// it is the server's own or a normalized receipt code: nothing to escape.
void page(httplib::Response& res, int status, std::string_view title, std::string_view body) {
    res.status = status;
    res.set_content(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        "<meta name=\"referrer\" content=\"no-referrer\"><title>" +
            std::string(title) +
            "</title><link rel=\"icon\" href=\"/favicon.svg\"><link rel=\"stylesheet\" "
            "href=\"/kiosk.css\"></head>\n<body>"
            "<main id=\"screen\"><div class=\"thanks\"><h1>" +
            std::string(title) + "</h1>" + std::string(body) + "</div></main></body></html>\n",
        html_type);
}

std::string when(std::optional<std::int64_t> t) {
    return t ? format_timestamp(*t) : "not yet";
}

}  // namespace

struct server::impl {
    struct served {
        std::unique_ptr<kiosk::desk> desk;
        std::vector<std::pair<std::string, std::string>> fields;  // opts.fields it declares
    };

    impl(journal::journal j, invitations b, optouts o, receipt::status_key k, serve::settings s)
        : journal(std::move(j)),
          book(std::move(b)),
          optout(std::move(o)),
          key(k),
          opts(std::move(s)),
          http({opts.devices
                    ? std::max(kiosk::max_submit_bytes, detail::device_routes::body_bytes())
                    : kiosk::max_submit_bytes,
                opts.devices ? std::max(max_request_bytes, detail::device_routes::request_bytes())
                             : max_request_bytes,
                opts.deadline, server_threads}) {}

    journal::shared_journal journal;  // cards submitted together: one batch, one sync
    invitations book;
    optouts optout;
    receipt::status_key key;
    serve::settings opts;
    std::map<std::string, served, std::less<>> surveys;
    std::string device;
    std::mutex received_mutex;
    std::unordered_map<std::uint64_t, std::pair<std::string, std::int64_t>> received;  // seq
    counter table_submits{table_submits_per_window}, misses{misses_per_window};
    std::atomic<std::int64_t> last_sweep{0};
    std::unique_ptr<detail::device_routes> devices;
    hardened_server http;
    std::unique_ptr<serve::desk> managers;  // the case desk, when the settings have one

    std::int64_t now() const { return opts.clock ? opts.clock() : unix_now(); }

    result<journal::stamped> keep(journal::card const& c) {
        auto stamped = journal.submit(c);
        if (!stamped) return stamped;
        std::lock_guard r(received_mutex);
        received[stamped->seq] = {stamped->receipt, c.time};
        return stamped;
    }

    // The device fields of a card from `link` (site, table or stay) for `s`: only those
    // the survey declares, beside the server's own.
    result<journal::device_setting> fields_for(
        served const& s, std::vector<std::pair<std::string, std::string>> link) const {
        auto given = s.fields;
        for (auto& f : link)
            if (s.desk->survey().field_index(f.first) >= 0) given.push_back(std::move(f));
        return journal::settle(s.desk->survey(), {device, std::move(given)});
    }

    std::string model(served const& s, journal::device_setting const& fields,
                      std::optional<std::string> const& draft, bool saves) const {
        auto m = nlohmann::json::parse(kiosk::page_model(
            s.desk->survey(), {kiosk::layout::page, web_idle_seconds, fields.fields}));
        m["saves"] = saves;
        if (draft) m["draft"] = nlohmann::json::parse(*draft, nullptr, false);
        return m.dump();
    }

    // desk::submit's reply, with the status link on a receipt.
    void submitted(httplib::Response& res, kiosk::reply r) {
        if (!opts.status_base.empty())
            r = kiosk::with_status(std::move(r), device, {opts.status_base, key});
        res.status = r.status;
        res.set_content(r.body, json_type);
    }

    // ---- /t/SITE/TABLE
    served* table_survey() {
        auto it = opts.table_survey.empty() ? surveys.begin() : surveys.find(opts.table_survey);
        return it == surveys.end() ? nullptr : &it->second;
    }
    std::optional<journal::device_setting> table_fields(httplib::Request const& req,
                                                        httplib::Response& res) {
        auto const& site = req.matches[1].str();
        auto const& table = req.matches[2].str();
        bool const known =
            link_name_ok(site) && link_name_ok(table) &&
            std::find(opts.sites.begin(), opts.sites.end(), site) != opts.sites.end();
        if (!known) {
            page(res, 404, "No such card", "<p class=\"note\">This link is not one of ours.</p>");
            return std::nullopt;
        }
        auto f = fields_for(*table_survey(), {{"site", site}, {"table", table}});
        if (!f) {
            page(res, 404, "No such card", "<p class=\"note\">This link is not one of ours.</p>");
            return std::nullopt;
        }
        return std::move(*f);
    }

    // ---- /s/TOKEN
    struct invited {
        served* s;
        journal::device_setting fields;
    };
    // The invitation and its survey, or the answer given (404, 410, 429) in `res`.
    std::optional<invited> invitation(httplib::Request const& req, httplib::Response& res,
                                      bool json) {
        auto const token = req.matches[1].str();
        auto const t = now();
        auto const say = [&](int status, std::string const& title, std::string const& note) {
            if (json)
                answer(res, status, note);
            else
                page(res, status, title, "<p class=\"note\">" + note + "</p>");
            return std::nullopt;
        };
        if (misses.over(req.remote_addr, t))
            return say(429, "Too many tries", "Too many unknown links from here; try later.");
        auto found = book.find(token, t);
        if (!found) {
            misses.count(req.remote_addr, t);
            return say(404, "No such invitation", "This link is not one of ours.");
        }
        if (found->state == token_state::used)
            return say(410, "Already answered",
                       "This invitation has been answered already. Thank you!");
        if (found->state == token_state::expired)
            return say(410, "Invitation expired", "This invitation has expired.");
        auto it = surveys.find(found->what.survey);
        if (it == surveys.end()) return say(404, "No such card", "This card is no longer served.");
        auto f = fields_for(it->second, {{"site", found->what.site}, {"stay", found->what.stay}});
        if (!f) return say(404, "No such card", "This card cannot be taken for this site.");
        return invited{&it->second, std::move(*f)};
    }

    void take_invited(httplib::Request const& req, httplib::Response& res,
                      httplib::ContentReader const& read) {
        auto body = read_json_body(req, res, read, kiosk::max_submit_bytes, "a card");
        if (!body) return;
        auto inv = invitation(req, res, true);
        if (!inv) return;
        kiosk::reply r;
        auto const t = now();
        auto used = book.use(req.matches[1].str(), t, [&]() -> result<std::string> {
            r = inv->s->desk->submit(*body, t, inv->fields);
            if (r.status != 200) return fail("not-taken", "the card was not taken");
            return nlohmann::json::parse(r.body)["receipt"].get<std::string>();
        });
        if (!used) {
            auto const& why = used.error()[0];
            if (why.code == "unknown-token") return answer(res, 404, why.message);
            if (why.code != "not-taken") return answer(res, 410, why.message);
        }
        submitted(res, std::move(r));
    }

    void save_draft(httplib::Request const& req, httplib::Response& res,
                    httplib::ContentReader const& read) {
        auto body = read_json_body(req, res, read, max_draft_bytes, "a draft");
        if (!body) return;
        auto parsed = util::parse_json(*body, kiosk::max_json_depth);
        if (!parsed || !parsed->is_object()) return answer(res, 400, "a draft is a JSON object");
        if (!invitation(req, res, true)) return;
        auto const t = now();
        if (auto last = last_sweep.load();
            t - last >= sweep_interval && last_sweep.compare_exchange_strong(last, t))
            book.sweep(t);
        auto saved = book.save_draft(req.matches[1].str(), *body, t);
        if (!saved)
            return answer(res, saved.error()[0].code == "io" ? 503 : 410, saved.error()[0].message);
        res.status = 204;
    }

    // ---- /r/CODE
    void status(httplib::Request const& req, httplib::Response& res) {
        auto const t = now();
        auto const unknown = [&] {
            misses.count(req.remote_addr, t);
            page(res, 404, "No such card", "<p class=\"note\">This link is not one of ours.</p>");
        };
        if (misses.over(req.remote_addr, t))
            return page(res, 429, "Too many tries",
                        "<p class=\"note\">Too many unknown links from here; try later.</p>");
        auto code = seal::normalize_receipt(req.matches[1].str());
        auto const n = req.get_param_value("n");
        std::uint64_t seq = 0;
        auto const [end, ec] = std::from_chars(n.data(), n.data() + n.size(), seq);
        if (!code || ec != std::errc() || end != n.data() + n.size() || n.empty()) return unknown();
        receipt::card_ref const card{req.get_param_value("d"), seq, *code};
        auto const check = req.get_param_value("c");
        receipt::card_progress p;
        if (card.device == device) {
            if (!receipt::status_check_ok(key, card, check)) return unknown();
            std::lock_guard lock(received_mutex);
            auto it = received.find(seq);
            if (it == received.end() || it->second.first != *code) return unknown();
            p.received = it->second.second;
        } else {
            // A device's link, made with the key head office derived for it.
            if (!devices || !devices->knows(card.device) ||
                !receipt::status_check_ok(receipt::device_status_key(key, card.device), card,
                                          check))
                return unknown();
            auto got = devices->received(card.device, seq);
            if (!got)
                return page(res, 200, "Your card " + *code,
                            "<dl class=\"status\"><dt>Received at head office</dt><dd "
                            "id=\"received\">not yet: on its way from the device it was "
                            "given at</dd></dl>");
            if (got->receipt != *code) return unknown();
            p.received = got->time;
        }
        if (opts.progress)
            if (auto more = opts.progress(card)) {
                p.read = more->read;
                p.answered = more->answered;
            }
        page(res, 200, "Your card " + *code,
             "<dl class=\"status\"><dt>Received at head office</dt><dd id=\"received\">" +
                 when(p.received) + "</dd><dt>Read by management</dt><dd id=\"read\">" +
                 when(p.read) + "</dd><dt>Answered</dt><dd id=\"answered\">" + when(p.answered) +
                 "</dd></dl>");
    }

    // Before routing: Host, and nothing read of a body no route takes.
    httplib::Server::HandlerResponse screen(httplib::Request const& req, httplib::Response& res) {
        using handled = httplib::Server::HandlerResponse;
        if (!host_ok(req, opts.host_names)) {
            refuse(res, 403, "this server is not `" + req.get_header_value("Host") + "`");
            return handled::Handled;
        }
        auto const& p = req.path;
        if (managers && p.starts_with("/m/")) return managers->screen(req, res);
        auto const parts = std::count(p.begin(), p.end(), '/');
        auto const tail = p.substr(p.rfind('/') + 1);
        std::string allowed;
        if (kiosk::find_asset(p) && p != "/")
            allowed = "GET";
        else if (p.starts_with("/t/") && (parts == 3 || (parts == 4 && tail == "card.json")))
            allowed = "GET";
        else if (p.starts_with("/t/") && parts == 4 && tail == "submit")
            allowed = "POST";
        else if (p.starts_with("/s/") && (parts == 2 || (parts == 3 && tail == "card.json")))
            allowed = "GET";
        else if (p.starts_with("/s/") && parts == 3 && tail == "submit")
            allowed = "POST";
        else if (p.starts_with("/s/") && parts == 3 && tail == "draft")
            allowed = "PUT";
        else if (p.starts_with("/r/") && parts == 2)
            allowed = "GET";
        else if (detail::optout_path(p) && req.method == "POST")
            return handled::Unhandled;
        else if (detail::optout_path(p))
            allowed = "GET";
        else if (devices)
            allowed = detail::device_routes::method_of(p);
        if (allowed.empty()) {
            refuse(res, 404, "no " + p + " here");
            return handled::Handled;
        }
        bool const reading = req.method == "GET" || req.method == "HEAD";
        if (allowed == "GET" ? reading : req.method == allowed) return handled::Unhandled;
        refuse(res, 405, req.method + " is not served here");
        res.set_header("Allow", allowed == "GET" ? "GET, HEAD" : allowed);
        return handled::Handled;
    }

    void routes() {
        harden(http);
        http.set_pre_routing_handler([this](httplib::Request const& req, httplib::Response& res) {
            return screen(req, res);
        });
        for (auto const& a : kiosk::page_assets())
            if (a.path != "/")
                http.Get(std::string(a.path),
                         [&a](httplib::Request const& req, httplib::Response& res) {
                             send_asset(req, res, a);
                         });
        auto const index = [](httplib::Request const& req, httplib::Response& res) {
            send_asset(req, res, *kiosk::find_asset("/"));
        };
        constexpr char name[] = "([^/]+)";
        std::string const t = std::string("/t/") + name + "/" + name;
        std::string const s = std::string("/s/") + name;
        http.Get(t, [this, index](httplib::Request const& req, httplib::Response& res) {
            if (table_fields(req, res)) index(req, res);
        });
        http.Get(t + "/card.json", [this](httplib::Request const& req, httplib::Response& res) {
            if (auto f = table_fields(req, res))
                res.set_content(model(*table_survey(), *f, std::nullopt, false), json_type);
        });
        http.Post(t + "/submit", [this](httplib::Request const& req, httplib::Response& res,
                                        httplib::ContentReader const& read) {
            auto const at = now();
            if (table_submits.over(req.remote_addr, at))
                return refuse(res, 429, "too many cards from here; try again later");
            auto body = read_json_body(req, res, read, kiosk::max_submit_bytes, "a card");
            if (!body) return;
            auto f = table_fields(req, res);
            if (!f) return answer(res, 404, "this link is not one of ours");
            table_submits.count(req.remote_addr, at);
            submitted(res, table_survey()->desk->submit(*body, at, *f));
        });
        http.Get(s, [this, index](httplib::Request const& req, httplib::Response& res) {
            if (invitation(req, res, false)) index(req, res);
        });
        http.Get(s + "/card.json", [this](httplib::Request const& req, httplib::Response& res) {
            if (auto inv = invitation(req, res, true))
                res.set_content(
                    model(*inv->s, inv->fields, book.draft(req.matches[1].str(), now()), true),
                    json_type);
        });
        http.Post(s + "/submit",
                  [this](httplib::Request const& req, httplib::Response& res,
                         httplib::ContentReader const& read) { take_invited(req, res, read); });
        http.Put(s + "/draft",
                 [this](httplib::Request const& req, httplib::Response& res,
                        httplib::ContentReader const& read) { save_draft(req, res, read); });
        http.Get(std::string("/r/") + name,
                 [this](httplib::Request const& req, httplib::Response& res) { status(req, res); });
        detail::add_optout_routes(http, optout, page);
        if (managers) managers->routes(http);
        if (devices) devices->add(http);
    }
};

result<invitations> open_invitations(fs::path const& dir) {
    try {
        util::make_private_directory(dir);
    } catch (std::system_error const& e) {
        return fail("io", std::string("cannot make the server's directory: ") + e.what());
    }
    return invitations::open(dir / invitations_folder);
}

result<receipt::status_key> device_status_key(fs::path const& dir, std::string_view device) {
    if (!seal::valid_device_id(device))
        return fail("invalid-device-id", "invalid device id `" + std::string(device) + "`");
    auto const own = dir / journal_folder / journal::device_file_name;
    if (std::error_code ec; fs::exists(own, ec)) {
        try {
            auto const text = util::read_file(own);
            auto pub = seal::parse_device_public(seal::as_chars(text));
            if (pub && pub->id == device)
                return fail("own-device", "`" + std::string(device) +
                                              "` is the server's own device: its links are made "
                                              "with the server's status key");
        } catch (std::system_error const& e) {
            return fail("io", "cannot read " + own.string() + ": " + e.what());
        }
    }
    try {
        util::make_private_directory(dir);
    } catch (std::system_error const& e) {
        return fail("io", std::string("cannot make the server's directory: ") + e.what());
    }
    auto key = receipt::load_status_key(dir / status_key_file);
    if (!key) return key;
    return receipt::device_status_key(*key, device);
}

server::server(std::unique_ptr<impl> p) : p_(std::move(p)) {}
server::~server() = default;

result<std::unique_ptr<server>> server::open(fs::path const& dir,
                                             std::vector<survey::survey> surveys,
                                             seal::device_secret key, seal::hq_public hq,
                                             settings s) {
    auto const bad = [](std::string message) { return fail("bad-settings", std::move(message)); };
    if (surveys.empty()) return bad("the server serves at least one survey");
    if (!key.site.empty())
        return bad("the server's device key binds site " + key.site +
                   ": head office's server takes cards for every site (a key without site=)");
    auto book = open_invitations(dir);
    if (!book) return unexpected(std::move(book).error());
    auto const journal_dir = dir / journal_folder;
    // The receipts already given, for the status page.
    std::unordered_map<std::uint64_t, std::pair<std::string, std::int64_t>> received;
    if (fs::exists(journal_dir / journal::device_file_name))
        for (auto const& r : journal::inspect_journal(journal_dir).records)
            received[r.seq] = {journal::receipt(r), r.time};
    auto j = journal::journal::open(journal_dir, key, hq);
    if (!j) return unexpected(std::move(j).error());
    auto status = receipt::load_status_key(dir / status_key_file);
    if (!status) return unexpected(std::move(status).error());

    auto optout = open_optouts(dir);
    if (!optout) return unexpected(std::move(optout).error());
    auto p = std::make_unique<impl>(std::move(*j), std::move(*book), std::move(*optout), *status,
                                    std::move(s));
    p->device = key.id;
    p->received = std::move(received);
    if (p->opts.tls)
        if (auto t = p->http.use_tls(*p->opts.tls); !t) return unexpected(std::move(t).error());
    for (auto const& f : p->opts.fields)
        if (std::none_of(surveys.begin(), surveys.end(),
                         [&](survey::survey const& x) { return x.field_index(f.first) >= 0; }))
            return bad("no survey has a device field `" + f.first + "`");
    for (auto& sv : surveys) {
        std::vector<std::pair<std::string, std::string>> fields;
        for (auto const& f : p->opts.fields)
            if (sv.field_index(f.first) >= 0) fields.push_back(f);
        auto const id = sv.id;
        auto keeper = [raw = p.get()](journal::card const& c) { return raw->keep(c); };
        p->surveys.emplace(
            id, impl::served{std::make_unique<kiosk::desk>(
                                 std::move(sv), journal::device_setting{key.id, {}}, keeper),
                             std::move(fields)});
    }
    if (!p->table_survey())
        return bad("the table survey `" + p->opts.table_survey + "` is not served");
    for (auto const& site : p->opts.sites) {
        if (!link_name_ok(site)) return bad("`" + site + "` cannot be a site in a link");
        for (auto const& [id, sv] : p->surveys)
            if (auto f = p->fields_for(sv, {{"site", site}, {"table", "1"}}); !f)
                return bad("survey " + id + " at site " + site + ": " + f.error()[0].message);
    }
    if (p->opts.desk) {
        auto d = desk::open(dir, p->opts.desk, [raw = p.get()] { return raw->now(); });
        if (!d) return unexpected(std::move(d).error());
        p->managers = std::move(*d);
    }
    if (p->opts.devices) {
        auto d = detail::device_routes::open(*p->opts.devices, dir / received_folder,
                                             [raw = p.get()] { return raw->now(); });
        if (!d) return unexpected(std::move(d).error());
        p->devices = std::move(*d);
    }
    p->last_sweep = p->now();
    p->book.sweep(p->last_sweep);
    p->routes();
    return std::unique_ptr<server>(new server(std::move(p)));
}

invitations& server::book() noexcept {
    return p_->book;
}
receipt::status_key const& server::key() const noexcept {
    return p_->key;
}
std::string const& server::device() const noexcept {
    return p_->device;
}

result<int> server::bind(std::string const& host, int port) {
    return bind_to(p_->http, host, port);
}

bool server::listen() {
    return p_->http.listen_after_bind();
}
void server::stop() {
    p_->http.halt();
}

}  // namespace candor::serve
