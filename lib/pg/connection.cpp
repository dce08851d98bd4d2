#include "pg/connection.hpp"

#include <cstring>
#include <stdexcept>

namespace candor::pg::detail {

params& params::text(std::string v) {
    values_.push_back(std::move(v));
    formats_.push_back(0);
    nulls_.push_back(false);
    return *this;
}

params& params::binary(seal::byte_view v) {
    values_.emplace_back(reinterpret_cast<char const*>(v.data()), v.size());
    formats_.push_back(1);
    nulls_.push_back(false);
    return *this;
}

params& params::null() {
    values_.emplace_back();
    formats_.push_back(0);
    nulls_.push_back(true);
    return *this;
}

std::string text_array(std::vector<std::string> const& items) {
    std::string out = "{";
    for (auto const& item : items) {
        if (out.size() > 1) out += ',';
        out += '"';
        for (char c : item) {
            if (c == '"' || c == '\\') out += '\\';
            out += c;
        }
        out += '"';
    }
    return out + "}";
}

std::string number_array(std::vector<std::int64_t> const& items, std::vector<bool> const& nulls) {
    std::string out = "{";
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i) out += ',';
        out += i < nulls.size() && nulls[i] ? "NULL" : std::to_string(items[i]);
    }
    return out + "}";
}

namespace {

std::string trimmed(char const* message) {
    std::string s = message ? message : "";
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
    return s;
}

}  // namespace

result<connection> connection::open(std::string const& location) {
    char* err = nullptr;
    auto* options = PQconninfoParse(location.c_str(), &err);
    if (options == nullptr) {
        auto message = trimmed(err);
        PQfreemem(err);
        return fail("store-unreachable", "not a PostgreSQL location: " + message);
    }
    bool password = false;
    for (auto* o = options; o->keyword != nullptr; ++o)
        if (std::strcmp(o->keyword, "password") == 0 && o->val != nullptr && *o->val != '\0')
            password = true;
    PQconninfoFree(options);
    if (password)
        return fail("password-in-location",
                    "the store's location carries a password: give it in PGPASSFILE, ~/.pgpass "
                    "or PGPASSWORD instead, where the command line and the process list do not "
                    "show it");
    connection c(PQconnectdb(location.c_str()));
    if (!c.c_ || PQstatus(c.c_.get()) != CONNECTION_OK)
        return fail("store-unreachable",
                    "cannot reach the store's database: " +
                        trimmed(c.c_ ? PQerrorMessage(c.c_.get()) : "out of memory"));
    // The server's notices ("already exists, skipping") are no news to the caller.
    PQsetNoticeProcessor(
        c.c_.get(), [](void*, char const*) {}, nullptr);
    // What Candor writes is text it made; the server answers in UTF-8 whatever its locale.
    PQsetClientEncoding(c.c_.get(), "UTF8");
    return c;
}

bool connection::broken() const noexcept {
    return lost_ || PQstatus(c_.get()) != CONNECTION_OK;
}

bool connection::reset() {
    if (!broken()) return true;
    PQreset(c_.get());
    lost_ = false;
    return !broken();
}

pg_result connection::checked(PGresult* raw, std::string_view what) {
    pg_result r(raw);
    auto const status = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return r;
    auto message = trimmed(r ? PQresultErrorMessage(r.get()) : PQerrorMessage(c_.get()));
    if (message.empty()) message = trimmed(PQerrorMessage(c_.get()));
    // A server shutting down answers with its reason (57P01..57P03) before it closes the
    // socket, so the connection can still look whole here: the code says it is lost.
    char const* code = r ? PQresultErrorField(r.get(), PG_DIAG_SQLSTATE) : nullptr;
    std::string_view const state = code ? code : "";
    lost_ = broken() || state.starts_with("08") || state == "57P01" || state == "57P02" ||
            state == "57P03";
    if (lost_)
        throw std::runtime_error(
            "store-unreachable: the connection to the store's database was "
            "lost (" +
            message + ")");
    throw std::runtime_error("store-failed: " + std::string(what) + ": " + message);
}

namespace {

struct raw_params {
    std::vector<char const*> values;
    std::vector<int> lengths;
    explicit raw_params(params const& p) {
        for (std::size_t i = 0; i < p.values().size(); ++i) {
            values.push_back(p.nulls()[i] ? nullptr : p.values()[i].data());
            lengths.push_back(static_cast<int>(p.values()[i].size()));
        }
    }
};

}  // namespace

pg_result connection::run(std::string const& sql, params const& p) {
    raw_params raw(p);
    return checked(PQexecParams(c_.get(), sql.c_str(), static_cast<int>(raw.values.size()), nullptr,
                                raw.values.data(), raw.lengths.data(), p.formats().data(), 1),
                   sql);
}

void connection::run_script(std::string const& sql) {
    checked(PQexec(c_.get(), sql.c_str()), "a migration");
}

void connection::prepare(std::string const& name, std::string const& sql) {
    checked(PQprepare(c_.get(), name.c_str(), sql.c_str(), 0, nullptr), "prepare " + name);
}

pg_result connection::run_prepared(std::string const& name, params const& p) {
    raw_params raw(p);
    return checked(PQexecPrepared(c_.get(), name.c_str(), static_cast<int>(raw.values.size()),
                                  raw.values.data(), raw.lengths.data(), p.formats().data(), 1),
                   name);
}

void connection::copy_in(std::string const& sql, seal::byte_view data) {
    pg_result start(PQexec(c_.get(), sql.c_str()));
    if (!start || PQresultStatus(start.get()) != PGRES_COPY_IN) {
        checked(start.release(), sql);
        throw std::runtime_error("store-failed: " + sql + ": not a COPY FROM STDIN");
    }
    // libpq takes int-sized pieces.
    constexpr std::size_t piece = 1u << 20;
    for (std::size_t at = 0; at < data.size(); at += piece) {
        auto const n = std::min(piece, data.size() - at);
        if (PQputCopyData(c_.get(), reinterpret_cast<char const*>(data.data() + at),
                          static_cast<int>(n)) != 1)
            break;
    }
    PQputCopyEnd(c_.get(), nullptr);
    checked(PQgetResult(c_.get()), sql);
    while (auto* rest = PQgetResult(c_.get())) PQclear(rest);
}

void connection::run_quietly(std::string const& sql) noexcept {
    if (broken()) return;
    PQclear(PQexec(c_.get(), sql.c_str()));
}

std::int64_t number_at(PGresult const* r, int row, int col) {
    auto const* p = reinterpret_cast<unsigned char const*>(PQgetvalue(r, row, col));
    auto const n = PQgetlength(r, row, col);
    std::uint64_t v = 0;
    for (int i = 0; i < n; ++i) v = (v << 8) | p[i];
    if (n == 4) return static_cast<std::int32_t>(static_cast<std::uint32_t>(v));
    return static_cast<std::int64_t>(v);
}

std::string text_at(PGresult const* r, int row, int col) {
    return {PQgetvalue(r, row, col), static_cast<std::size_t>(PQgetlength(r, row, col))};
}

seal::byte_view bytes_at(PGresult const* r, int row, int col) {
    return {reinterpret_cast<std::uint8_t const*>(PQgetvalue(r, row, col)),
            static_cast<std::size_t>(PQgetlength(r, row, col))};
}

bool null_at(PGresult const* r, int row, int col) {
    return PQgetisnull(r, row, col) != 0;
}

}  // namespace candor::pg::detail
