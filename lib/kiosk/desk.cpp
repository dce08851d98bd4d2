#include "candor/kiosk/desk.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "candor/response/json.hpp"
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
        list.push_back({{"question", p.where.field},
                        {"code", p.code},
                        {"message", p.message}});
    return {422, nlohmann::json{{"problems", std::move(list)}}.dump()};
}

}  // namespace

desk::desk(survey::survey survey, journal::device_setting device, journal::journal journal)
    : survey_(std::move(survey)), device_(std::move(device)), journal_(std::move(journal)) {}

reply desk::submit(std::string_view body, std::int64_t now) {
    // As every reader of JSON from outside: 1e400 throws in nlohmann even with exceptions
    // off, and a deep value would be copied recursively below.
    auto parsed = util::parse_json(body, response::max_json_depth);
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
    auto card = journal::intake(survey_, whole.dump(), device_);
    if (!card) return refused(card.error());

    std::lock_guard lock(journal_mutex_);
    auto stamped = journal_.submit(std::span(&*card, 1));
    if (!stamped)
        return error(503, "the card could not be saved: " + stamped.error().front().message);
    return {200,
            nlohmann::json{{"receipt", stamped->front().receipt}, {"seq", stamped->front().seq}}
                .dump()};
}

}  // namespace candor::kiosk
