#include "candor/journal/intake.hpp"

#include <algorithm>

#include "candor/response/json.hpp"
#include "candor/response/validate.hpp"
#include "candor/seal/box.hpp"
#include "candor/seal/split.hpp"
#include "personal.hpp"

namespace candor::journal {

namespace {

std::string const* field_value(device_setting const& d, std::string_view name) {
    for (auto const& [k, v] : d.fields)
        if (k == name) return &v;
    return nullptr;
}

error device_error(std::string field, std::string message) {
    return {severity::error, "device-field", std::move(message), {.field = std::move(field)}};
}

}  // namespace

result<device_setting> settle(survey::survey const& s, device_setting given) {
    errors found;
    for (auto const& [name, value] : given.fields) {
        if (s.field_index(name) < 0)
            found.push_back(device_error(name, "the survey has no device field `" + name + "`"));
        else if (value.empty())
            found.push_back(device_error(name, "device field `" + name + "` is empty"));
        else if (name == "device" && value != given.device)
            found.push_back(device_error(name, "device field `device` is " + value +
                                                   ", but the key is device " + given.device +
                                                   "'s"));
    }
    device_setting out{given.device, {}};
    for (auto const& f : s.fields) {
        if (auto const* v = field_value(given, f))
            out.fields.emplace_back(f, *v);
        else if (f == "device")
            out.fields.emplace_back(f, given.device);
        else if (s.field_required(f))
            found.push_back({severity::error,
                             "missing-field",
                             "the survey needs device field `" + f + "`",
                             {.field = f}});
    }
    if (!found.empty()) return fail(std::move(found));
    return out;
}

result<device_setting> settle(survey::survey const& s, device_setting given,
                              seal::device_public const& device) {
    given.device = device.id;
    if (!device.site.empty() && s.field_index("site") >= 0) {
        if (auto const* site = field_value(given, "site"); site == nullptr)
            given.fields.emplace_back("site", device.site);
        else if (*site != device.site)
            return fail("wrong-site",
                        "the device's key binds it to site " + device.site + ", not " + *site,
                        {.field = "site"});
    }
    return settle(s, std::move(given));
}

device_setting setting_of(survey::survey const& s, seal::device_public const& device) {
    device_setting out{device.id, {}};
    if (!device.site.empty() && s.field_index("site") >= 0)
        out.fields.emplace_back("site", device.site);
    return out;
}

result<card> intake(survey::survey const& s, response::response r, device_setting const& device) {
    errors found;
    // The device's own settings win over nothing: a response that names another device or
    // site is refused, not corrected, so a card cannot be filed under a place it is not from.
    auto set = [&](std::string const& name, std::string const& value) {
        auto it = std::find_if(r.fields.begin(), r.fields.end(),
                               [&](auto const& f) { return f.first == name; });
        if (it == r.fields.end())
            r.fields.emplace_back(name, value);
        else if (it->second != value)
            found.push_back(device_error(name, "the response is from " + name + " " + it->second +
                                                   ", the device is " + name + " " + value));
    };
    if (!device.device.empty() && s.field_index("device") >= 0) set("device", device.device);
    for (auto const& [name, value] : device.fields)
        if (name != "device") set(name, value);
    auto problems = response::validate(s, r);
    found.insert(found.end(), std::make_move_iterator(problems.begin()),
                 std::make_move_iterator(problems.end()));
    // Validated whole; sealed in two parts when it holds personal answers (format 2).
    auto const personal_answers = detail::take_personal(s, r);
    auto personal =
        personal_answers.empty() ? std::string() : detail::encode_personal(personal_answers);
    auto content = response::to_json(r);
    auto const overhead = seal::seal_overhead + (personal.empty() ? 0 : seal::personal_overhead);
    if (content.size() + personal.size() + overhead > max_sealed_bytes)
        found.push_back({severity::error, "too-large",
                         "the card is " + std::to_string(content.size() + personal.size()) +
                             " bytes; a sealed card holds at most " +
                             std::to_string(max_sealed_bytes - overhead)});
    if (r.survey.size() > max_name_bytes || r.field("site").size() > max_name_bytes)
        found.push_back({severity::error, "too-large", "survey id or site over 256 bytes"});
    if (!found.empty()) return fail(std::move(found));
    return card{r.survey,    r.version,          std::string(r.field("site")),
                r.submitted, std::move(content), std::move(personal)};
}

result<card> intake(survey::survey const& s, std::string_view json, device_setting const& device,
                    location where) {
    auto r = response::from_json(json, std::move(where));
    if (!r) return unexpected(std::move(r).error());
    return intake(s, std::move(*r), device);
}

}  // namespace candor::journal
