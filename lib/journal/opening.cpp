#include "candor/journal/opening.hpp"

#include "candor/response/json.hpp"
#include "candor/seal/box.hpp"
#include "candor/seal/split.hpp"
#include "personal.hpp"

namespace candor::journal {

std::string_view to_string(personal_part p) noexcept {
    switch (p) {
        case personal_part::none:
            return "none";
        case personal_part::opened:
            return "opened";
        case personal_part::erased:
            return "erased";
        case personal_part::unopenable:
            return "unopenable";
    }
    return "?";
}

result<opened_card> open_parts(record const& r, seal::hq_secret const& hq) {
    location const at{.device = r.device, .seq = r.seq};
    opened_card out;
    std::optional<seal::bytes> content;
    std::optional<seal::bytes> personal;
    if (r.format == 1) {
        content = seal::open_sealed(hq, r.sealed);
    } else {
        auto split = seal::open_split(hq, r.sealed, r.personal, r.key_box);
        content = std::move(split.content);
        personal = std::move(split.personal);
        out.personal = split.state == seal::personal_state::opened   ? personal_part::opened
                       : split.state == seal::personal_state::erased ? personal_part::erased
                                                                     : personal_part::unopenable;
    }
    if (!content) return fail("unreadable", "does not open with this key", at);
    auto opened = response::from_json(seal::as_chars(*content));
    if (!opened) return fail("not-a-response", "opens, but holds no response", at);
    auto const& x = *opened;
    std::string why;
    if (x.survey != r.survey || x.version != r.survey_version)
        why = "answers " + x.survey + " version " + std::to_string(x.version);
    else if (x.submitted != r.time)
        why = "was submitted at another time";
    else if (x.field("site") != r.site)
        why = "is from site " + std::string(x.field("site"));
    else if (auto d = x.field("device"); !d.empty() && d != r.device)
        why = "is from device " + std::string(d);
    if (!why.empty())
        return fail("misfiled",
                    "the sealed card " + why + ", not what its signed header says (" + r.survey +
                        " version " + std::to_string(r.survey_version) + ", site " + r.site + ")",
                    at);
    out.response = std::move(*opened);
    if (personal) {
        auto answers = detail::decode_personal(seal::as_chars(*personal));
        if (!answers)
            return fail("bad-personal", "its personal part holds no personal answers", at);
        for (auto const& a : *answers) out.personal_questions.emplace_back(a.id, a.kind);
        detail::restore_personal(out.response, std::move(*answers));
    } else if (out.personal == personal_part::unopenable) {
        out.found.push_back({severity::warning, "personal-unopenable",
                             "its key box does not open its personal answers (altered, or "
                             "another card's): the card opens without them",
                             at});
    }
    return out;
}

result<response::response> open_card(record const& r, seal::hq_secret const& hq) {
    auto opened = open_parts(r, hq);
    if (!opened) return unexpected(std::move(opened).error());
    return std::move(opened->response);
}

}  // namespace candor::journal
