#include "desk.hpp"

#include <algorithm>
#include <system_error>

#include <nlohmann/json.hpp>

#include "candor/response/validate.hpp"
#include "candor/response/json.hpp"
#include "candor/journal/record.hpp"
#include "candor/seal/box.hpp"
#include "candor/time.hpp"

namespace candor::kiosk {

namespace {

reply error(int status, std::string message) {
    return {status, nlohmann::json{{"error", std::move(message)}}.dump()};
}

reply refused(response::problems const& problems) {
    auto list = nlohmann::json::array();
    for (auto const& p : problems)
        list.push_back({{"question", p.question},
                        {"code", response::to_string(p.code)},
                        {"message", p.message}});
    return {422, nlohmann::json{{"problems", std::move(list)}}.dump()};
}

}  // namespace

result<device_fields, std::string> settle_fields(survey::survey const& s,
                                                 device_fields const& given,
                                                 std::string const& device_id) {
    for (auto const& [name, value] : given) {
        if (s.field_index(name) < 0)
            return unexpected("the survey has no device field `" + name + "`");
        if (value.empty()) return unexpected("device field `" + name + "` is empty");
        if (name == "device" && value != device_id)
            return unexpected("--field device=" + value + " but the key is device " + device_id +
                              "'s");
    }
    device_fields out;
    for (auto const& f : s.fields) {
        auto it =
            std::find_if(given.begin(), given.end(), [&](auto const& g) { return g.first == f; });
        if (it != given.end())
            out.push_back(*it);
        else if (f == "device")
            out.emplace_back(f, device_id);
        else
            return unexpected("the survey needs device field `" + f + "`: give --field " + f +
                              "=VALUE");
    }
    return out;
}

desk::desk(survey::survey survey, device_fields fields, journal::journal journal)
    : survey_(std::move(survey)), fields_(std::move(fields)), journal_(std::move(journal)) {}

reply desk::submit(std::string_view body, std::int64_t now) {
    auto posted = nlohmann::json::parse(body, nullptr, false);
    if (posted.is_discarded() || !posted.is_object())
        return error(400, "the body is not a JSON object");
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

    auto fields = nlohmann::json::object();
    for (auto const& [name, value] : fields_) fields[name] = value;
    auto const started = now - static_cast<std::int64_t>(std::min(seconds.get<double>(), 86400.0));
    nlohmann::json const whole{{"survey", survey_.id},
                               {"version", survey_.version},
                               {"language", language},
                               {"fields", std::move(fields)},
                               {"started", format_timestamp(started)},
                               {"submitted", format_timestamp(now)},
                               {"answers", answers}};
    // The engine reads the answers, as it reads them from any other channel.
    auto parsed = response::from_json(whole.dump());
    if (!parsed) {
        response::problems problems;
        for (auto const& d : parsed.error())
            problems.push_back({"", response::problem_code::wrong_type, d.message});
        return refused(problems);
    }
    auto const& r = *parsed;
    auto problems = response::validate(survey_, r);
    auto content = response::to_json(r);
    if (content.size() + seal::seal_overhead > journal::max_sealed_bytes)
        problems.push_back({"", response::problem_code::too_long, "the card is too large to seal"});
    if (!problems.empty()) return refused(problems);

    journal::card const card{r.survey, r.version, std::string(r.field("site")), r.submitted,
                             std::move(content)};
    try {
        std::lock_guard lock(journal_mutex_);
        auto stamped = journal_.submit(std::span(&card, 1));
        return {200,
                nlohmann::json{{"receipt", stamped.front().receipt}, {"seq", stamped.front().seq}}
                    .dump()};
    } catch (std::system_error const& e) {
        return error(503, std::string("the card could not be saved: ") + e.what());
    }
}

}  // namespace candor::kiosk
