#include "candor/seal/receipt.hpp"

namespace candor::seal {

namespace {
constexpr char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";  // Crockford base32
}

std::string receipt_code(digest const& record_hash) {
    std::uint32_t bits = static_cast<std::uint32_t>(record_hash[0]) << 22 |
                         static_cast<std::uint32_t>(record_hash[1]) << 14 |
                         static_cast<std::uint32_t>(record_hash[2]) << 6 |
                         static_cast<std::uint32_t>(record_hash[3]) >> 2;
    std::string code;
    for (int i = 5; i >= 0; --i) {
        code += alphabet[(bits >> (5 * i)) & 31];
        if (i == 3) code += '-';
    }
    return code;
}

std::optional<std::string> normalize_receipt(std::string_view typed) {
    std::string digits;
    for (char c : typed) {
        if (c == '-' || c == ' ') continue;
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
        if (c == 'I' || c == 'L') c = '1';
        if (c == 'O') c = '0';
        std::string_view all(alphabet);
        if (all.find(c) == std::string_view::npos) return std::nullopt;
        digits += c;
    }
    if (digits.size() != 6) return std::nullopt;
    return digits.substr(0, 3) + '-' + digits.substr(3);
}

}  // namespace candor::seal
