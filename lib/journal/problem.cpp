#include "candor/journal/problem.hpp"

#include <algorithm>

namespace candor::journal {

bool has_errors(problems const& all) noexcept {
    return std::any_of(all.begin(), all.end(),
                       [](problem const& p) { return p.level == severity::error; });
}

std::string render(problem const& p) {
    std::string out = p.file.empty() ? std::string("candor") : p.file;
    if (p.offset) out += '@' + std::to_string(*p.offset);
    out += ": ";
    out += to_string(p.level);
    out += ": ";
    if (!p.device.empty()) {
        out += "device " + p.device;
        if (p.seq != 0) out += " seq " + std::to_string(p.seq);
        out += ": ";
    }
    out += p.message + " [" + p.code + "]";
    return out;
}

std::string render(problems const& all) {
    std::string out;
    for (auto const& p : all) out += render(p) + '\n';
    return out;
}

}  // namespace candor::journal
