#include "candor/stats/responses.hpp"

#include <variant>

#include "builder.hpp"
#include "candor/time.hpp"

namespace candor::stats {

namespace {

std::string cell_of(response::answer const& a) {
    return std::visit(
        [](auto const& v) -> std::string {
            using V = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<V, bool>)
                return v ? "yes" : "no";
            else if constexpr (std::is_same_v<V, std::int64_t>)
                return std::to_string(v);
            else if constexpr (std::is_same_v<V, double>) {
                char buf[32];
                std::snprintf(buf, sizeof buf, "%.17g", v);
                return buf;
            } else if constexpr (std::is_same_v<V, std::string>)
                return v;
            else {
                std::string joined;
                for (auto const& code : v) joined += (joined.empty() ? "" : ";") + code;
                return joined;
            }
        },
        a);
}

}  // namespace

result<frame> frame_of(std::vector<response::response> const& responses, survey::survey const& s) {
    std::vector<std::string> names{"language", "submitted", "started"};
    names.insert(names.end(), s.fields.begin(), s.fields.end());
    for (auto const& q : s.questions) names.push_back(q.id);
    csv_options opt;
    opt.survey = &s;
    detail::frame_builder b(detail::specs_for(names, opt), "<responses>");
    std::uint32_t row = 0;
    for (auto const& r : responses) {
        std::vector<std::string> cells{r.language, format_timestamp(r.submitted),
                                       r.started ? format_timestamp(*r.started) : ""};
        for (auto const& field : s.fields) cells.emplace_back(r.field(field));
        for (auto const& q : s.questions)
            cells.push_back(r.find(q.id) ? cell_of(*r.find(q.id)) : "");
        b.add_row(std::move(cells), ++row);
    }
    return std::move(b).finish();
}

}  // namespace candor::stats
