#include "candor/kiosk/desk.hpp"

#include <algorithm>
#include <memory>

#include <nlohmann/json.hpp>

#include "candor/journal/shared_journal.hpp"
#include "candor/time.hpp"
#include "util/json_text.hpp"

namespace candor::kiosk {

namespace {

reply error(int status, std::string message) {
    return {status, nlohmann::json{{"error", std::move(message)}}.dump()};
}

reply refused(errors const& problems) {
    auto list = nlohmann::json::array();
    for (auto const& p : problems)
        list.push_back({{"question", p.where.field}, {"code", p.code}, {"message", p.message}});
    return {422, nlohmann::json{{"problems", std::move(list)}}.dump()};
}

}  // namespace

card_keeper keep_in(journal::journal j) {
    // Shared: a std::function is copyable, a journal is not.
    auto kept = std::make_shared<journal::shared_journal>(std::move(j));
    return [kept](journal::card const& c) { return kept->submit(c); };
}

desk::desk(survey::survey survey, journal::device_setting device, card_keeper keep)
    : survey_(std::move(survey)), device_(std::move(device)), keep_(std::move(keep)) {}

reply desk::submit(std::string_view body, std::int64_t now) {
    return submit(body, now, device_);
}

reply desk::submit(std::string_view body, std::int64_t now, journal::device_setting const& fields) {
    // As every reader of JSON from outside: nesting checked before parsing, and no
    // exception (nlohmann throws for 1e400 even with exceptions off).
    auto parsed = util::parse_json(body, max_json_depth);
    if (!parsed && parsed.error()[0].code == "too-deep")
        return error(400, "the body nests deeper than " + std::to_string(max_json_depth) +
                              " levels: not a card");
    if (!parsed) return error(400, "the body is not a JSON object: " + parsed.error()[0].message);
    auto const& posted = *parsed;
    if (!posted.is_object()) return error(400, "the body is not a JSON object");
    for (auto const& [key, value] : posted.items())
        if (key != "language" && key != "seconds" && key != "answers")
            return error(400,
                         "unexpected `" + key + "`: the page sends language, seconds and answers");
    auto const language = posted.value("language", nlohmann::json());
    auto const seconds = posted.value("seconds", nlohmann::json(0));
    auto const answers = posted.value("answers", nlohmann::json());
    // check() lets an empty language pass (a card from a channel that does not know it);
    // the kiosk always knows which one the guest chose.
    if (!language.is_string() || language.get<std::string>().empty() || !answers.is_object() ||
        !seconds.is_number() || seconds.get<double>() < 0)
        return error(400, "language (text), seconds (a number) and answers (an object) are needed");

    auto const started = now - static_cast<std::int64_t>(std::min(seconds.get<double>(), 86400.0));
    nlohmann::json const whole{{"survey", survey_.id},
                               {"version", survey_.version},
                               {"language", language},
                               {"started", format_timestamp(started)},
                               {"submitted", format_timestamp(now)},
                               {"answers", answers}};
    // The engine reads the answers, as it reads them from any other channel; the device
    // fields are the kiosk's own.
    auto card = journal::intake(survey_, whole.dump(), fields);
    if (!card) return refused(card.error());

    auto stamped = keep_(*card);
    if (!stamped) {
        auto const& why = stamped.error().front();
        return {503, nlohmann::json{{"error", "the card could not be saved: " + why.message},
                                    {"code", why.code}}
                         .dump()};
    }
    return {200, nlohmann::json{{"receipt", stamped->receipt},
                                {"seq", stamped->seq},
                                {"signed_receipt", stamped->signed_receipt}}
                     .dump()};
}

}  // namespace candor::kiosk
