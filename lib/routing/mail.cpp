// Candor's e-mails: one message format for every mail sink.
#include "mail.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>
#include <stdexcept>

#include <sodium.h>
#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include "candor/seal/bytes.hpp"
#include "util/ascii.hpp"
#include "util/file_io.hpp"
#include "util/json_text.hpp"

namespace candor::routing::mail {

namespace {

// ASCII header text longer than this is folded as encoded words.
constexpr std::size_t max_plain_header = 60;
constexpr std::size_t max_address_bytes = 254;
constexpr std::size_t max_uri_bytes = 900;

}  // namespace

std::string one_line(std::string_view s) {
    std::string out;
    for (auto const& line : shown_lines(s)) out += (out.empty() ? "" : " ") + line;
    return out;
}

std::string header_text(std::string_view s) {
    auto line = one_line(s);
    // Plain ASCII that fits one line stays as it is; longer text is folded as encoded words.
    if (line.size() <= max_plain_header && line.find("=?") == std::string::npos &&
        std::all_of(line.begin(), line.end(),
                    [](unsigned char c) { return c >= 0x20 && c < 0x7F; }))
        return line;
    static constexpr char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    // Encoded words of 36 bytes of text (60 characters), cut between characters, keep header
    // lines under 78 characters.
    std::size_t i = 0;
    while (i < line.size()) {
        std::size_t n = std::min<std::size_t>(36, line.size() - i);
        while (i + n < line.size() && (static_cast<unsigned char>(line[i + n]) & 0xC0) == 0x80) --n;
        std::string b64;
        for (std::size_t j = 0; j < n; j += 3) {
            std::uint32_t v = static_cast<unsigned char>(line[i + j]) << 16;
            if (j + 1 < n) v |= static_cast<unsigned char>(line[i + j + 1]) << 8;
            if (j + 2 < n) v |= static_cast<unsigned char>(line[i + j + 2]);
            b64 += alphabet[(v >> 18) & 63];
            b64 += alphabet[(v >> 12) & 63];
            b64 += j + 1 < n ? alphabet[(v >> 6) & 63] : '=';
            b64 += j + 2 < n ? alphabet[v & 63] : '=';
        }
        out += (out.empty() ? "" : "\n ") + std::string("=?UTF-8?B?") + b64 + "?=";
        i += n;
    }
    return out;
}

std::string quoted_printable(std::string_view text) {
    std::string out;
    std::size_t col = 0;
    auto put = [&](std::string_view piece) {
        if (col + piece.size() > 75) {
            out += "=\n";
            col = 0;
        }
        out += piece;
        col += piece.size();
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        auto c = static_cast<unsigned char>(text[i]);
        bool const line_end = i + 1 == text.size() || text[i + 1] == '\n';
        if (c == '\n') {
            out += '\n';
            col = 0;
        } else if ((c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !line_end)) {
            char ch = static_cast<char>(c);
            put(std::string_view(&ch, 1));
        } else {
            char hex[4];
            std::snprintf(hex, sizeof hex, "=%02X", c);
            put(hex);
        }
    }
    return out;
}

std::vector<std::string> shown_lines(std::string_view s) {
    std::vector<std::string> lines(1);
    for (std::size_t i = 0; i < s.size(); ++i) {
        auto const c = static_cast<unsigned char>(s[i]);
        auto const next = i + 1 < s.size() ? static_cast<unsigned char>(s[i + 1]) : 0;
        auto const third = i + 2 < s.size() ? static_cast<unsigned char>(s[i + 2]) : 0;
        if (c == '\n' || c == '\r') {
            if (c == '\r' && next == '\n') ++i;
            lines.emplace_back();
        } else if (c == 0xC2 && next == 0x85) {  // NEL
            ++i;
            lines.emplace_back();
        } else if (c == 0xE2 && next == 0x80 && (third == 0xA8 || third == 0xA9)) {
            i += 2;
            lines.emplace_back();
        } else if (c == 0xC2 && next >= 0x80 && next <= 0x9F) {  // the other C1 controls
            ++i;
        } else if (c >= 0x20 && c != 0x7F) {
            lines.back() += static_cast<char>(c);
        } else if (c == '\t') {
            lines.back() += ' ';
        }
    }
    return lines;
}

std::string rfc5322_date(timestamp t) {
    std::time_t tt = static_cast<std::time_t>(t);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    static constexpr char const* days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr char const* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                             "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    char buf[64];
    std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday],
                  tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                  tm.tm_sec);
    return buf;
}

bool plain_address(std::string_view a) {
    if (a.empty() || a.size() > max_address_bytes) return false;
    auto const at = a.find('@');
    if (at == 0 || at == std::string_view::npos || at + 1 == a.size() ||
        a.find('@', at + 1) != std::string_view::npos)
        return false;
    return std::none_of(a.begin(), a.end(), [](unsigned char c) {
        return c <= 0x20 || c >= 0x7F ||
               std::string_view("\"<>()[],;:\\").find(static_cast<char>(c)) !=
                   std::string_view::npos;
    });
}

std::string message_id(std::string_view key) {
    return seal::to_hex(seal::hash(seal::as_bytes(key))).substr(0, 32) + "@candor";
}

namespace {

// The body as text a person reads: "name: value" lines, nested objects indented. What the
// guest wrote (the answers and the device fields of a card) is quoted on the lines after its
// name, each line "> ", so that no answer can fake a line of the message.
void as_text(nlohmann::ordered_json const& j, std::string const& indent, bool guest_words,
             std::string& out) {
    for (auto const& [k, v] : j.items()) {
        auto const name = shown_lines(k).front();
        if (v.is_object()) {
            out += indent + name + ":\n";
            as_text(v, indent + "  ", guest_words || k == "answers" || k == "fields", out);
        } else if (v.is_array() && !v.empty() && v.front().is_object()) {
            out += indent + name + ":\n";
            for (auto const& item : v) {
                as_text(item, indent + "  ", guest_words, out);
                out += '\n';
            }
        } else if (v.is_string() && guest_words) {
            out += indent + name + ":\n";
            for (auto const& line : shown_lines(v.get<std::string>()))
                out += indent + "> " + line + '\n';
        } else {
            std::string value;
            for (auto const& line : shown_lines(v.is_string() ? v.get<std::string>() : v.dump()))
                value += (value.empty() ? "" : " ") + line;
            out += indent + name + ": " + value + '\n';
        }
    }
}

// A From: as given ("Name <a@b>"), its display name encoded when it is not plain ASCII.
std::string from_header(std::string_view from) {
    auto const line = one_line(from);
    auto const lt = line.rfind('<');
    if (lt == std::string::npos || lt == 0) return line;
    auto name = line.substr(0, lt);
    while (!name.empty() && name.back() == ' ') name.pop_back();
    bool const ascii = std::all_of(name.begin(), name.end(), [](unsigned char c) {
        return c >= 0x20 && c < 0x7F && c != '"' && c != '\\';
    });
    return (ascii ? "\"" + name + "\"" : header_text(name)) + " " + line.substr(lt);
}

// A URI that can stand in <> in a header as it is (List-Unsubscribe): printable ASCII, no
// space, angle bracket or comma, https: or mailto:.
bool uri_ok(std::string_view u) {
    return u.size() <= max_uri_bytes && (u.starts_with("https://") || u.starts_with("mailto:")) &&
           std::all_of(u.begin(), u.end(), [](unsigned char c) {
               return c > 0x20 && c < 0x7F && c != '<' && c != '>' && c != ',' && c != '"';
           });
}

void part(std::string& msg, char const* type, std::string_view text) {
    msg += std::string("Content-Type: ") + type + "; charset=utf-8\n";
    msg += "Content-Transfer-Encoding: quoted-printable\n\n";
    msg += quoted_printable(text);
    if (msg.back() != '\n') msg += '\n';
}

}  // namespace

std::string compose(delivery const& d, message_options const& options, timestamp date) {
    std::string text = d.text;
    if (text.empty()) {
        auto body = util::parse_json<nlohmann::ordered_json>(d.body, util::max_event_depth);
        if (body && body->is_object())
            as_text(*body, "", false, text);
        else
            text = d.body;
    }
    auto const id = message_id(d.key);
    std::string msg;
    msg += "From: " + from_header(options.from) + "\n";
    msg += "To: " + one_line(d.address) + "\n";
    msg += "Subject: " + header_text(d.subject) + "\n";
    msg += "Date: " + rfc5322_date(date) + "\n";
    msg += "Message-ID: <" + id + ">\n";
    if (!d.thread.empty()) {
        // Every message about a case names the case's root: readers thread them together.
        auto const root = "<" + message_id("case/" + d.thread) + ">";
        msg += "In-Reply-To: " + root + "\n";
        msg += "References: " + root + "\n";
    }
    if (d.person == "guest" && !d.thread.empty())
        if (auto const to = signed_reply_address(d.thread, options.replies); !to.empty())
            msg += "Reply-To: " + to + "\n";
    if (uri_ok(d.unsubscribe_url)) {
        std::string list = "<" + d.unsubscribe_url + ">";
        if (uri_ok(d.unsubscribe_mailto)) list += ",\n <" + d.unsubscribe_mailto + ">";
        msg += "List-Unsubscribe: " + list + "\n";
        msg += "List-Unsubscribe-Post: List-Unsubscribe=One-Click\n";
    }
    msg += "Auto-Submitted: auto-generated\n";
    msg += "X-Auto-Response-Suppress: All\n";
    msg += "Candor-Idempotency-Key: " + one_line(d.key) + "\n";
    msg += "MIME-Version: 1.0\n";
    if (d.html.empty()) {
        part(msg, "text/plain", text);
        return msg;
    }
    // quoted-printable writes every "=" as =3D, so no line of a part can be the boundary.
    auto const boundary = "=_candor_" + id.substr(0, id.find('@'));
    msg += "Content-Type: multipart/alternative; boundary=\"" + boundary + "\"\n\n";
    msg += "--" + boundary + "\n";
    part(msg, "text/plain", text);
    msg += "--" + boundary + "\n";
    part(msg, "text/html",
         "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head><body>\n" + d.html +
             "\n</body></html>\n");
    msg += "--" + boundary + "--\n";
    return msg;
}

}  // namespace candor::routing::mail

namespace candor::routing {

namespace {

constexpr std::size_t reply_mac_bytes = 10;  // 80 bits: 16 base32 characters
constexpr char base32[] = "abcdefghijklmnopqrstuvwxyz234567";

std::string reply_mac(std::string_view thread, std::string_view key) {
    unsigned char out[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, reinterpret_cast<unsigned char const*>(key.data()),
                                key.size());
    crypto_auth_hmacsha256_update(&st, reinterpret_cast<unsigned char const*>(thread.data()),
                                  thread.size());
    crypto_auth_hmacsha256_final(&st, out);
    std::string text;
    std::uint32_t acc = 0;
    int bits = 0;
    for (std::size_t i = 0; i < reply_mac_bytes; ++i) {
        acc = (acc << 8) | out[i];
        bits += 8;
        while (bits >= 5) {
            text += base32[(acc >> (bits - 5)) & 31];
            bits -= 5;
        }
    }
    return text;
}

bool plain_thread_char(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

}  // namespace

result<std::string> mail_key(std::filesystem::path const& file) {
    if (sodium_init() < 0) throw std::runtime_error("libsodium cannot start");
    try {
        std::error_code ec;
        if (!std::filesystem::exists(file, ec)) {
            std::string k(mail_key_bytes, '\0');
            randombytes_buf(k.data(), k.size());
            util::write_file_durably(file, seal::as_bytes(k), {}, 0600);
            return k;
        }
        struct stat st {};
        if (::stat(file.c_str(), &st) == 0 && (st.st_mode & 077) != 0)
            return fail("key-permissions", "secret readable by group or others; chmod 600 it",
                        {.file = file.string()});
        auto raw = util::read_file(file);
        if (raw.size() != mail_key_bytes)
            return fail("bad-key", file.string() + " is not a mail key (32 bytes)");
        return std::string(raw.begin(), raw.end());
    } catch (std::system_error const& e) {
        return fail("io", "cannot read or make the mail key " + file.string() + ": " + e.what());
    }
}

result<reply_addresses> load_reply_addresses(std::string const& domain,
                                             std::filesystem::path const& key_file) {
    if (domain.empty()) return reply_addresses{};
    auto key = mail_key(key_file);
    if (!key) return unexpected(std::move(key).error());
    return reply_addresses{domain, "reply", std::move(*key)};
}

std::string signed_reply_address(std::string_view thread, reply_addresses const& to) {
    if (to.domain.empty() || to.key.empty()) return {};
    std::string local = to.local + "+";
    for (unsigned char c : thread) {
        if (plain_thread_char(c)) {
            local += static_cast<char>(c);
        } else {
            char hex[4];
            std::snprintf(hex, sizeof hex, "=%02x", c);
            local += hex;
        }
    }
    return local + "." + reply_mac(thread, to.key) + "@" + to.domain;
}

std::optional<std::string> thread_of_reply_address(std::string_view address,
                                                   reply_addresses const& to) {
    if (to.domain.empty() || to.key.empty()) return std::nullopt;
    auto const a = util::ascii_lower(address);
    auto const prefix = util::ascii_lower(to.local + "+");
    auto const suffix = util::ascii_lower("@" + to.domain);
    if (a.size() <= prefix.size() + suffix.size() || !a.starts_with(prefix) || !a.ends_with(suffix))
        return std::nullopt;
    auto const middle =
        std::string_view(a).substr(prefix.size(), a.size() - prefix.size() - suffix.size());
    auto const dot = middle.rfind('.');
    if (dot == std::string_view::npos) return std::nullopt;
    std::string thread;
    auto const enc = middle.substr(0, dot);
    for (std::size_t i = 0; i < enc.size(); ++i) {
        auto const c = static_cast<unsigned char>(enc[i]);
        if (plain_thread_char(c)) {
            thread += static_cast<char>(c);
        } else if (c == '=' && i + 2 < enc.size() && std::isxdigit(enc[i + 1]) &&
                   std::isxdigit(enc[i + 2])) {
            thread += static_cast<char>(std::stoi(std::string(enc.substr(i + 1, 2)), nullptr, 16));
            i += 2;
        } else {
            return std::nullopt;
        }
    }
    auto const want = reply_mac(thread, to.key);
    auto const got = middle.substr(dot + 1);
    if (got.size() != want.size() || sodium_memcmp(got.data(), want.data(), want.size()) != 0)
        return std::nullopt;
    return thread;
}

}  // namespace candor::routing
