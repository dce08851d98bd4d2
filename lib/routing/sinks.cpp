// The sinks that need no library beyond the standard one: callback and Maildir.
#include <algorithm>
#include <cstdio>
#include <ctime>
#include <system_error>
#include <vector>

#include <nlohmann/json.hpp>

#include "candor/routing/delivery.hpp"
#include "candor/seal/bytes.hpp"
#include "util/file_io.hpp"
#include "util/json_text.hpp"

namespace candor::routing {

timestamp sink::retry_after(delivery const&) const {
    return 0;
}

sink* sinks::for_channel(channel_kind k) const noexcept {
    switch (k) {
        case channel_kind::email:
            return email;
        case channel_kind::webhook:
            return webhook;
        case channel_kind::callback:
            return callback;
    }
    return nullptr;
}

void callback_sink::add(std::string name, function f) {
    functions_.insert_or_assign(std::move(name), std::move(f));
}

result<void> callback_sink::send(delivery const& d) {
    auto it = functions_.find(d.address);
    if (it == functions_.end()) return fail("no-callback", "no callback named " + d.address);
    try {
        return it->second(d);
    } catch (std::exception const& e) {
        return fail("callback-failed", std::string("callback threw: ") + e.what());
    }
}

namespace {

// Header values never carry a line break: that would let text inject headers.
std::string one_line(std::string_view s) {
    std::string out;
    for (char c : s) out += (c == '\r' || c == '\n') ? ' ' : c;
    return out;
}

// RFC 2047: a header value with non-ASCII text as =?UTF-8?B?...?= words.
std::string header_text(std::string_view s) {
    auto line = one_line(s);
    if (std::all_of(line.begin(), line.end(),
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

// Quoted-printable (RFC 2045): any text, lines of at most 76 characters.
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

// A text cut into the lines a mail reader shows: at line feeds, carriage returns and the
// Unicode line breaks (U+0085, U+2028, U+2029), with every other control character removed,
// so that nothing in it can pass for a line of its own.
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

}  // namespace

maildir_sink::maildir_sink(std::filesystem::path dir, maildir_options options, clock_fn clock)
    : dir_(std::move(dir)), options_(std::move(options)), clock_(std::move(clock)) {}

result<void> maildir_sink::send(delivery const& d) {
    // The messages hold opened cards: the Maildir is 0700 and each message 0600.
    try {
        util::make_private_directory(dir_);
        for (char const* sub : {"tmp", "new", "cur"}) util::make_private_directory(dir_ / sub);
    } catch (std::system_error const& e) {
        return fail("io", e.what(), {.file = dir_.string()});
    }
    auto const id = seal::to_hex(seal::hash(seal::as_bytes(d.key))).substr(0, 32);
    std::string text;
    auto body = util::parse_json<nlohmann::ordered_json>(d.body, util::max_event_depth);
    if (body && body->is_object())
        as_text(*body, "", false, text);
    else
        text = d.body;
    std::string msg;
    msg += "From: " + one_line(options_.from) + "\n";
    msg += "To: " + one_line(d.address) + "\n";
    msg += "Subject: " + header_text(d.subject) + "\n";
    msg += "Date: " + rfc5322_date(clock_()) + "\n";
    msg += "Message-ID: <" + id + "@candor>\n";
    msg += "Candor-Idempotency-Key: " + one_line(d.key) + "\n";
    msg += "MIME-Version: 1.0\n";
    msg += "Content-Type: text/plain; charset=utf-8\n";
    msg += "Content-Transfer-Encoding: quoted-printable\n\n";
    msg += quoted_printable(text);
    // The Maildir protocol: write in tmp/, sync, then rename into new/, where the MTA looks.
    // The same key gives the same name, so a re-send replaces the identical file.
    auto const name = id + ".candor";
    try {
        util::write_file_durably(dir_ / "new" / name, seal::as_bytes(msg), dir_ / "tmp" / name,
                                 0600);
    } catch (std::system_error const& e) {
        return fail("io", e.what(), {.file = dir_.string()});
    }
    return {};
}

}  // namespace candor::routing
