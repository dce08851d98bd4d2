#include "candor/serve/qr.hpp"

namespace candor::serve {

std::string table_link(std::string_view base, std::string_view site, std::string_view table) {
    while (base.ends_with('/')) base.remove_suffix(1);
    return std::string(base) + "/t/" + std::string(site) + "/" + std::string(table);
}

std::string invitation_link(std::string_view base, std::string_view token) {
    while (base.ends_with('/')) base.remove_suffix(1);
    return std::string(base) + "/s/" + std::string(token);
}

}  // namespace candor::serve
