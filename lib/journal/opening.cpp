#include "candor/journal/opening.hpp"

#include "candor/response/json.hpp"
#include "candor/seal/box.hpp"

namespace candor::journal {

result<response::response> open_card(record const& r, seal::hq_secret const& hq) {
    location const at{.device = r.device, .seq = r.seq};
    auto content = seal::open_sealed(hq, r.sealed);
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
    return opened;
}

}  // namespace candor::journal
