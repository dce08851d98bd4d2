#include "candor/sync/push.hpp"

#include <httplib.h>

#include <algorithm>
#include <thread>

#include <nlohmann/json.hpp>

#include "candor/journal/bundle.hpp"
#include "candor/sync/request.hpp"
#include "candor/time.hpp"

namespace candor::sync {

namespace {

using json = nlohmann::json;

// One answer of the server: its status and JSON body, or no answer at all.
struct answer {
    int status = 0;  // 0: the network failed
    json body;
};

class client {
  public:
    client(std::string const& server, seal::device_secret const& key, push_settings const& s)
        : http_(server), key_(key), settings_(s) {
        http_.set_connection_timeout(push_timeout);
        http_.set_read_timeout(push_timeout);
        http_.set_write_timeout(push_timeout);
    }
    bool valid() const { return http_.is_valid(); }

    answer request(std::string const& method, std::string const& target, seal::byte_view body) {
        auto const s = sign_request(key_, method, target, body, now());
        httplib::Headers const headers{{device_header, s.device},
                                       {time_header, std::to_string(s.time)},
                                       {nonce_header, s.nonce},
                                       {signature_header, s.signature}};
        auto r = method == "GET"
                     ? http_.Get(target, headers)
                     : http_.Post(target, headers, reinterpret_cast<char const*>(body.data()),
                                  body.size(), "application/octet-stream");
        if (!r) return {};
        return {r->status, json::parse(r->body, nullptr, false)};
    }
    std::int64_t now() const { return settings_.clock ? settings_.clock() : unix_now(); }

  private:
    httplib::Client http_;
    seal::device_secret const& key_;
    push_settings const& settings_;
};

bool worth_retrying(int status) {
    return status == 0 || status >= 500 || status == 408 || status == 429;
}

// The server's refusal as an error: its code and message, and each problem it lists.
errors refusal(answer const& a, std::string const& device) {
    auto const text = [&](json const& j, char const* k, std::string fallback) {
        return j.is_object() && j.contains(k) && j[k].is_string() ? j[k].get<std::string>()
                                                                  : fallback;
    };
    errors out{{severity::error,
                text(a.body, "code", "refused"),
                "head office refused the push (HTTP " + std::to_string(a.status) +
                    "): " + text(a.body, "error", "no reason given"),
                {.device = device}}};
    if (a.body.is_object() && a.body.contains("problems") && a.body["problems"].is_array())
        for (auto const& p : a.body["problems"])
            out.push_back({severity::error,
                           text(p, "code", "refused"),
                           text(p, "message", ""),
                           {.device = device,
                            .seq = p.is_object() && p.value("seq", json()).is_number_unsigned()
                                       ? p["seq"].get<std::uint64_t>()
                                       : 0}});
    return out;
}

std::optional<journal::held_chain> held_of(json const& j) {
    if (!j.is_object() || !j.value("seq", json()).is_number_unsigned() ||
        !j.value("hash", json()).is_string())
        return std::nullopt;
    journal::held_chain h;
    h.seq = j["seq"].get<std::uint64_t>();
    if (!seal::from_hex(j["hash"].get<std::string>(), h.hash)) return std::nullopt;
    return h;
}

}  // namespace

result<push_report> push(std::filesystem::path const& dir, seal::device_secret const& key,
                         push_settings const& settings) {
    location const at{.file = dir.string(), .device = key.id};
    client c(settings.server, key, settings);
    if (!c.valid())
        return fail("bad-server", "`" + settings.server + "` is not http://HOST:PORT", at);
    auto const sleep = [&](std::chrono::milliseconds d) {
        if (settings.sleep)
            settings.sleep(d);
        else
            std::this_thread::sleep_for(d);
    };
    push_report report;
    auto pause = settings.first_pause;
    std::string last_failure = "no attempt made";
    // A cut network or a server error: noted, and the next attempt starts over.
    auto const retry = [&](answer const& a) {
        if (!worth_retrying(a.status)) return false;
        last_failure = a.status == 0 ? "no answer from " + settings.server
                                     : "HTTP " + std::to_string(a.status);
        return true;
    };
    for (int attempt = 0; attempt < settings.attempts; ++attempt) {
        if (attempt != 0) {
            sleep(pause);
            pause = std::min(pause * 2, longest_retry);
        }
        ++report.attempts;
        auto head = c.request("GET", "/d/head?device=" + key.id, {});
        if (retry(head)) continue;
        if (head.status != 200) return unexpected(refusal(head, key.id));
        auto held = held_of(head.body);
        if (!held) return fail("bad-answer", "the server's /d/head answer is not a head", at);
        auto made = journal::make_bundle(dir, held->seq, key, c.now());
        if (!made) return unexpected(std::move(made).error());
        if (made->head.seq == held->seq && made->summary.count == 0) {
            report.held = *held;
            report.sent = 0;
            return report;  // head office holds it all
        }
        if (made->data.size() > max_push_bytes)
            return fail("too-large",
                        std::to_string(made->summary.count) + " cards after card " +
                            std::to_string(held->seq) + " are over " +
                            std::to_string(max_push_bytes) +
                            " bytes: bring them in by `candor journal export` and `candor hq "
                            "import`",
                        at);
        auto pushed = c.request("POST", "/d/push", made->data);
        if (retry(pushed)) continue;
        if (pushed.status != 200) return unexpected(refusal(pushed, key.id));
        auto confirmed = held_of(pushed.body);
        if (!confirmed) return fail("bad-answer", "the server's /d/push answer has no head", at);
        report.sent = made->summary.count;
        report.accepted = pushed.body.value("accepted", std::uint64_t{0});
        report.duplicates = pushed.body.value("duplicates", std::uint64_t{0});
        report.held = *confirmed;
        return report;
    }
    return fail("unreachable",
                "after " + std::to_string(report.attempts) + " attempts: " + last_failure, at);
}

}  // namespace candor::sync
