// Mail in: a bounded MIME reader of untrusted messages, and the pull from an inbound Maildir.
#include "candor/routing/inbound.hpp"

#include <algorithm>
#include <system_error>
#include <unordered_map>

#include "candor/routing/notification.hpp"
#include "candor/seal/bytes.hpp"
#include "mail.hpp"
#include "util/ascii.hpp"
#include "util/file_io.hpp"

namespace candor::routing {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t max_problems = 10;

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

// ---- text: charsets to UTF-8

void put_utf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

// Valid UTF-8 as it is; every byte that does not begin a well-formed sequence U+FFFD.
std::string valid_utf8(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    std::size_t i = 0;
    while (i < s.size()) {
        auto const c = static_cast<unsigned char>(s[i]);
        std::size_t n = c < 0x80         ? 1
                        : (c >> 5) == 6  ? 2
                        : (c >> 4) == 14 ? 3
                        : (c >> 3) == 30 ? 4
                                         : 0;
        bool ok = n != 0 && i + n <= s.size();
        std::uint32_t cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
        for (std::size_t k = 1; ok && k < n; ++k) {
            auto const b = static_cast<unsigned char>(s[i + k]);
            ok = (b & 0xC0) == 0x80;
            cp = (cp << 6) | (b & 0x3F);
        }
        // Overlong forms, surrogates and code points past U+10FFFF are not UTF-8.
        ok = ok && !(n == 2 && cp < 0x80) && !(n == 3 && cp < 0x800) &&
             !(n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) && !(cp >= 0xD800 && cp <= 0xDFFF);
        if (ok) {
            out.append(s.substr(i, n));
            i += n;
        } else {
            put_utf8(out, 0xFFFD);
            ++i;
        }
    }
    return out;
}

// Text in `charset` as UTF-8: UTF-8 and US-ASCII checked, ISO-8859-1 and windows-1252
// mapped, anything else read as UTF-8 (what cannot be is U+FFFD).
std::string to_utf8(std::string_view s, std::string_view charset) {
    auto const cs = util::ascii_lower(charset);
    if (cs == "iso-8859-1" || cs == "latin1" || cs == "iso-8859-15" || cs == "windows-1252" ||
        cs == "cp1252") {
        std::string out;
        for (unsigned char c : s) {
            // windows-1252's printable C1 range is rarely needed to read a reply: U+FFFD.
            if (c >= 0x80 && c < 0xA0)
                put_utf8(out, cs.starts_with("iso") || cs == "latin1" ? c : 0xFFFD);
            else
                put_utf8(out, c);
        }
        return out;
    }
    return valid_utf8(s);
}

// ---- transfer encodings

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string from_quoted_printable(std::string_view s, bool header) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        char const c = s[i];
        if (c == '=' && i + 1 < s.size() && (s[i + 1] == '\n' || s[i + 1] == '\r')) {
            ++i;  // a soft line break
            if (s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n') ++i;
        } else if (c == '=' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 &&
                   hex_value(s[i + 2]) >= 0) {
            out += static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
            i += 2;
        } else if (header && c == '_') {
            out += ' ';
        } else {
            out += c;
        }
    }
    return out;
}

std::string from_base64(std::string_view s) {
    std::string out;
    std::uint32_t acc = 0;
    int bits = 0;
    for (unsigned char c : s) {
        int v = c >= 'A' && c <= 'Z'   ? c - 'A'
                : c >= 'a' && c <= 'z' ? c - 'a' + 26
                : c >= '0' && c <= '9' ? c - '0' + 52
                : c == '+'             ? 62
                : c == '/'             ? 63
                                       : -1;
        if (v < 0) continue;  // line breaks, padding, and junk are skipped
        acc = (acc << 6) | static_cast<std::uint32_t>(v);
        bits += 6;
        if (bits >= 8) {
            out += static_cast<char>((acc >> (bits - 8)) & 0xFF);
            bits -= 8;
        }
    }
    return out;
}

// RFC 2047 encoded words in a header value, each in its charset, as UTF-8.
std::string decode_words(std::string_view v) {
    std::string out;
    std::size_t i = 0;
    bool last_word = false;
    while (i < v.size()) {
        auto const start = v.find("=?", i);
        if (start == std::string_view::npos) {
            out += to_utf8(v.substr(i), "utf-8");
            break;
        }
        auto const q1 = v.find('?', start + 2);
        auto const q2 = q1 == std::string_view::npos ? q1 : v.find('?', q1 + 1);
        auto const end = q2 == std::string_view::npos ? q2 : v.find("?=", q2 + 1);
        if (end == std::string_view::npos) {
            out += to_utf8(v.substr(i), "utf-8");
            break;
        }
        auto const between = v.substr(i, start - i);
        // Space between two encoded words is not text (RFC 2047 6.2).
        if (!(last_word && trim(between).empty())) out += to_utf8(between, "utf-8");
        auto const charset = v.substr(start + 2, q1 - start - 2);
        auto const enc = util::ascii_lower(v.substr(q1 + 1, q2 - q1 - 1));
        auto const text = v.substr(q2 + 1, end - q2 - 1);
        auto const raw = enc == "b" ? from_base64(text) : from_quoted_printable(text, true);
        out += to_utf8(raw, charset.substr(0, charset.find('*')));
        i = end + 2;
        last_word = true;
    }
    return out;
}

// ---- headers

struct header_field {
    std::string name;   // lower-case
    std::string value;  // unfolded
};

struct part_view {
    std::vector<header_field> headers;
    std::string_view body;
};

// Headers up to the first empty line, unfolded; nullopt past the limits.
std::optional<part_view> split(std::string_view raw, std::string& why) {
    part_view p;
    std::size_t i = 0;
    while (i < raw.size()) {
        auto nl = raw.find('\n', i);
        if (nl == std::string_view::npos) nl = raw.size();
        auto line = raw.substr(i, nl - i);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        i = nl + 1;
        if (i > max_header_bytes) {
            why = "headers longer than " + std::to_string(max_header_bytes) + " bytes";
            return std::nullopt;
        }
        if (line.empty()) {
            p.body = i <= raw.size() ? raw.substr(i) : std::string_view();
            return p;
        }
        if ((line[0] == ' ' || line[0] == '\t') && !p.headers.empty()) {
            p.headers.back().value += " ";
            p.headers.back().value += trim(line);
            continue;
        }
        auto const colon = line.find(':');
        if (colon == std::string_view::npos || colon == 0) continue;  // not a field: skipped
        if (p.headers.size() >= max_header_fields) {
            why = "more than " + std::to_string(max_header_fields) + " header fields";
            return std::nullopt;
        }
        p.headers.push_back({util::ascii_lower(trim(line.substr(0, colon))),
                             std::string(trim(line.substr(colon + 1)))});
    }
    p.body = {};
    return p;
}

std::string header(part_view const& p, std::string_view name) {
    for (auto const& h : p.headers)
        if (h.name == name) return h.value;
    return {};
}
bool has_header(part_view const& p, std::string_view name) {
    return std::any_of(p.headers.begin(), p.headers.end(),
                       [&](header_field const& h) { return h.name == name; });
}

// A parameter of a structured value (Content-Type: x/y; charset="utf-8"; boundary=...).
std::string parameter(std::string_view value, std::string_view name) {
    std::size_t i = value.find(';');
    while (i != std::string_view::npos) {
        auto const next = value.find(';', i + 1);
        auto piece =
            trim(value.substr(i + 1, next == std::string_view::npos ? next : next - i - 1));
        auto const eq = piece.find('=');
        if (eq != std::string_view::npos && util::ascii_lower(trim(piece.substr(0, eq))) == name) {
            auto v = trim(piece.substr(eq + 1));
            if (v.size() >= 2 && v.front() == '"') {
                // A quoted boundary may hold ';': read to the closing quote.
                auto const from = value.find('"', i) + 1;
                auto const to = value.find('"', from);
                if (to != std::string_view::npos) return std::string(value.substr(from, to - from));
            }
            return std::string(v);
        }
        i = next;
    }
    return {};
}

std::string media_type(part_view const& p) {
    auto const ct = header(p, "content-type");
    auto const t = util::ascii_lower(trim(ct.substr(0, ct.find(';'))));
    return t.empty() ? "text/plain" : t;
}

// The addresses of an address list: what is in <>, else the bare addr-spec, lower-cased.
std::vector<std::string> addresses(std::string_view v) {
    std::vector<std::string> out;
    std::string cur;
    bool quoted = false;
    int angle = 0;
    std::string in_angle;
    auto close = [&] {
        auto a = !in_angle.empty() ? in_angle : std::string(trim(cur));
        if (auto sp = a.rfind(' '); sp != std::string::npos) a = a.substr(sp + 1);
        if (a.find('@') != std::string::npos) out.push_back(util::ascii_lower(a));
        cur.clear();
        in_angle.clear();
    };
    for (char c : v) {
        if (quoted) {
            if (c == '"') quoted = false;
            continue;
        }
        if (c == '"') {
            quoted = true;
        } else if (c == '<') {
            ++angle;
            in_angle.clear();
        } else if (c == '>') {
            angle = std::max(0, angle - 1);
        } else if (c == ',' && angle == 0) {
            close();
        } else if (angle > 0) {
            in_angle += c;
        } else {
            cur += c;
        }
    }
    close();
    return out;
}

// Message-IDs of In-Reply-To / References: what is between < and >.
void message_ids(std::string_view v, std::vector<std::string>& out) {
    std::size_t i = 0;
    while (out.size() < max_references) {
        auto const lt = v.find('<', i);
        if (lt == std::string_view::npos) break;
        auto const gt = v.find('>', lt);
        if (gt == std::string_view::npos) break;
        out.emplace_back(trim(v.substr(lt + 1, gt - lt - 1)));
        i = gt + 1;
    }
}

std::string decoded_body(part_view const& p) {
    auto const enc = util::ascii_lower(trim(header(p, "content-transfer-encoding")));
    std::string raw = enc == "base64"             ? from_base64(p.body)
                      : enc == "quoted-printable" ? from_quoted_printable(p.body, false)
                                                  : std::string(p.body);
    return to_utf8(raw, parameter(header(p, "content-type"), "charset"));
}

// Text of an HTML part, crudely: tags dropped, a few entities read, block ends as lines.
std::string html_text(std::string_view h) {
    std::string out;
    bool tag = false;
    for (std::size_t i = 0; i < h.size(); ++i) {
        char const c = h[i];
        if (tag) {
            if (c == '>') tag = false;
            continue;
        }
        if (c == '<') {
            tag = true;
            auto const t = util::ascii_lower(h.substr(i + 1, 3));
            if (t.starts_with("br") || t.starts_with("p") || t.starts_with("/p") ||
                t.starts_with("div"))
                out += '\n';
            continue;
        }
        if (c == '&') {
            static constexpr std::pair<std::string_view, char> entities[] = {
                {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&nbsp;", ' '}};
            bool done = false;
            for (auto const& [e, ch] : entities)
                if (h.substr(i, e.size()) == e) {
                    out += ch;
                    i += e.size() - 1;
                    done = true;
                    break;
                }
            if (done) continue;
        }
        out += c;
    }
    return out;
}

struct walk_state {
    std::size_t parts = 0;
    std::string plain, html;
    bool report = false;
    std::string why;
};

// Parts within parts, `depth` deep at most; only the first plain and HTML texts are kept.
bool walk(part_view const& p, std::size_t depth, walk_state& w) {
    if (++w.parts > max_mime_parts) {
        w.why = "more than " + std::to_string(max_mime_parts) + " parts";
        return false;
    }
    auto const type = media_type(p);
    if (type.starts_with("multipart/")) {
        if (type == "multipart/report") w.report = true;
        if (depth >= max_mime_depth) {
            w.why = "multiparts nested deeper than " + std::to_string(max_mime_depth);
            return false;
        }
        auto const boundary = parameter(header(p, "content-type"), "boundary");
        if (boundary.empty() || boundary.size() > 70) return true;  // RFC 2046: at most 70
        auto const delim = "--" + boundary;
        std::size_t at = 0;
        std::optional<std::size_t> start;
        while (at <= p.body.size()) {
            auto nl = p.body.find('\n', at);
            if (nl == std::string_view::npos) nl = p.body.size();
            auto line = p.body.substr(at, nl - at);
            if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
            bool const is_delim = line.starts_with(delim);
            if (is_delim) {
                if (start) {
                    auto end = at;
                    // The line break before a delimiter belongs to it.
                    if (end > *start && p.body[end - 1] == '\n') --end;
                    if (end > *start && p.body[end - 1] == '\r') --end;
                    auto const inner = p.body.substr(*start, end - *start);
                    auto sub = split(inner, w.why);
                    if (!sub) return false;
                    if (!walk(*sub, depth + 1, w)) return false;
                }
                if (trim(line.substr(delim.size())).starts_with("--")) return true;
                start = nl + 1;
            }
            at = nl + 1;
        }
        // No closing delimiter: the last part runs to the end (as mail readers take it).
        if (start && *start < p.body.size()) {
            auto sub = split(p.body.substr(*start), w.why);
            if (!sub) return false;
            return walk(*sub, depth + 1, w);
        }
        return true;
    }
    if (type == "message/delivery-status") w.report = true;
    if (type == "text/plain" && w.plain.empty()) w.plain = decoded_body(p);
    if (type == "text/html" && w.html.empty()) w.html = html_text(decoded_body(p));
    return true;
}

// What the guest wrote: quoted lines ("> ...") and what follows "-- " dropped, each line
// cut of controls, and no more than max_guest_text_bytes.
std::string guest_words(std::string const& text) {
    std::string out;
    for (auto const& line : mail::shown_lines(text)) {
        if (line == "-- ") break;
        if (line.starts_with(">")) continue;
        if (out.size() + line.size() + 1 > max_guest_text_bytes) break;
        out += line + "\n";
    }
    while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
    while (!out.empty() && out.front() == '\n') out.erase(out.begin());
    return out;
}

}  // namespace

result<inbound_message> parse_inbound(std::string_view raw) {
    if (raw.size() > max_inbound_bytes)
        return fail("bad-mail",
                    "a message larger than " + std::to_string(max_inbound_bytes) + " bytes");
    std::string why;
    auto top = split(raw, why);
    if (!top) return fail("bad-mail", why);
    if (top->headers.empty()) return fail("bad-mail", "no header");
    inbound_message m;
    std::vector<std::string> ids;
    message_ids(header(*top, "message-id"), ids);
    if (!ids.empty()) m.message_id = ids.front();
    auto from = addresses(header(*top, "from"));
    if (!from.empty()) m.from = from.front();
    for (auto const& h : top->headers)
        if (h.name == "to" || h.name == "cc" || h.name == "delivered-to" ||
            h.name == "x-original-to")
            for (auto& a : addresses(h.value)) m.to.push_back(std::move(a));
    m.subject = mail::one_line(decode_words(header(*top, "subject")));
    message_ids(header(*top, "in-reply-to"), m.references);
    message_ids(header(*top, "references"), m.references);
    walk_state w;
    if (!walk(*top, 0, w)) return fail("bad-mail", w.why);
    m.text = guest_words(!w.plain.empty() ? w.plain : w.html);

    auto const return_path = std::string(trim(header(*top, "return-path")));
    auto const local = m.from.substr(0, m.from.find('@'));
    m.bounce = w.report || return_path == "<>" || local == "mailer-daemon" ||
               local == "postmaster" || !header(*top, "x-failed-recipients").empty();
    auto const submitted = util::ascii_lower(trim(header(*top, "auto-submitted")));
    auto const precedence = util::ascii_lower(trim(header(*top, "precedence")));
    m.automatic = (!submitted.empty() && submitted != "no") || has_header(*top, "x-autoreply") ||
                  has_header(*top, "x-autorespond") || precedence == "bulk" ||
                  precedence == "junk" || precedence == "list" || precedence == "auto_reply" ||
                  has_header(*top, "list-id");
    return m;
}

namespace {

struct known_ids {
    std::unordered_map<std::string, std::string> to_case;  // Candor's Message-IDs -> case

    explicit known_ids(case_log const& log) {
        for (auto const& c : log.cases())
            for (auto const& key :
                 {"case/" + c.id, c.id + "/guest/acknowledged/email", c.id + "/guest/reply/email"})
                to_case.emplace(mail::message_id(key), c.id);
    }
};

bool move_to_cur(fs::path const& maildir, fs::path const& file, char flag) {
    std::error_code ec;
    auto name = file.filename().string();
    name = name.substr(0, name.find(':'));
    fs::rename(file, maildir / "cur" / (name + ":2," + flag), ec);
    return !ec;
}

}  // namespace

pull_report pull_mail(fs::path const& maildir, case_log& cases, outbox& out, router const& router,
                      pull_options const& options, timestamp now) {
    pull_report report;
    auto const problem = [&](std::string code, std::string message, std::string const& file) {
        if (report.problems.size() < max_problems)
            report.problems.push_back(
                {severity::warning, std::move(code), std::move(message), {.file = file}});
    };
    std::vector<fs::path> files;
    std::error_code ec;
    fs::create_directories(maildir / "cur", ec);
    for (auto const& f : fs::directory_iterator(maildir / "new", ec))
        if (f.is_regular_file()) files.push_back(f.path());
    if (ec) {
        problem("io", "cannot read " + (maildir / "new").string() + ": " + ec.message(), "");
        return report;
    }
    std::sort(files.begin(), files.end());
    known_ids const known(cases);

    for (auto const& file : files) {
        ++report.read;
        std::string raw;
        result<inbound_message> m = fail(
            "bad-mail", "a message larger than " + std::to_string(max_inbound_bytes) + " bytes");
        if (fs::file_size(file, ec) <= max_inbound_bytes && !ec) {
            try {
                auto bytes = util::read_file(file);
                raw.assign(bytes.begin(), bytes.end());
            } catch (std::system_error const& e) {
                problem("io", e.what(), file.string());
                continue;
            }
            m = parse_inbound(raw);
        }
        if (!m) {
            ++report.refused;
            problem("bad-mail", m.error().front().message, file.string());
            move_to_cur(maildir, file, 'T');
            continue;
        }
        // The id a re-run knows it by: its Message-ID, else the hash of its bytes.
        auto const id = !m->message_id.empty()
                            ? m->message_id
                            : "sha256:" + seal::to_hex(seal::hash(seal::as_bytes(raw)));
        if (cases.has_mail(id)) {
            ++report.repeated;
            move_to_cur(maildir, file, 'S');
            continue;
        }
        if (m->bounce || m->automatic) {
            ++(m->bounce ? report.bounces : report.automatic);
            cases.mail_seen(id, m->bounce ? "bounce" : "automatic", now);
            move_to_cur(maildir, file, 'S');
            continue;
        }
        if (options.unsubscribe && util::ascii_lower(m->subject).starts_with("unsubscribe ")) {
            auto const token = std::string(trim(std::string_view(m->subject).substr(12)));
            if (options.unsubscribe(token)) {
                ++report.unsubscribed;
                cases.mail_seen(id, "unsubscribe", now);
                move_to_cur(maildir, file, 'S');
                continue;
            }
        }
        // Its case: by the signed address it was sent to, else by the thread it answers, from
        // the case's own guest.
        std::string case_id;
        std::string thread;
        for (auto const& to : m->to)
            if (auto t = thread_of_reply_address(to, options.replies)) {
                thread = *t;
                break;
            }
        if (!thread.empty() && cases.find(thread)) case_id = cases.find(thread)->id;
        if (case_id.empty() && thread.empty())
            for (auto const& ref : m->references) {
                auto it = known.to_case.find(ref);
                if (it == known.to_case.end()) continue;
                auto const* c = cases.find(it->second);
                if (c && !c->guest.empty() && util::ascii_lower(c->guest) == m->from) {
                    case_id = c->id;
                    break;
                }
            }
        auto const text = m->text.empty() ? m->subject : m->text;
        if (!case_id.empty()) {
            auto ok = cases.guest_mail(case_id, id, text, router, now);
            if (!ok) {
                problem(ok.error().front().code, ok.error().front().message, file.string());
                continue;
            }
            ++report.attached;
        } else {
            if (!mail::plain_address(m->from)) {
                ++report.refused;
                problem("bad-mail", "no plain From address to answer", file.string());
                cases.mail_seen(id, "no-address", now);
                move_to_cur(maildir, file, 'T');
                continue;
            }
            // About a stay (an answer to its invitation): the stay is named in the case.
            auto const note = thread.starts_with("stay/") ? "[" + thread + "]\n" + text : text;
            // The acknowledgement is queued before the case is written: a crash in between
            // queues it once again, by key, and the case is opened on the next pull.
            routed_case stub;
            stub.id = mail_case_id(id);
            stub.guest = m->from;
            auto const ack = mail_acknowledgement(stub);
            out.queue(std::span(&ack, 1), now);
            auto c = cases.open_from_mail(id, m->from, note, router, now);
            if (!c) {
                problem(c.error().front().code, c.error().front().message, file.string());
                continue;
            }
            ++report.opened;
        }
        move_to_cur(maildir, file, 'S');
    }
    return report;
}

}  // namespace candor::routing
