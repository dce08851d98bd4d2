// A libpq connection and the few calls the store makes on it: statements with parameters
// (text, or binary for bytea), results in binary, binary COPY. What fails throws
// std::runtime_error: "store-unreachable: ..." when the connection is lost, "store-failed: ..."
// otherwise.
#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "candor/error.hpp"
#include "candor/seal/bytes.hpp"

namespace candor::pg::detail {

struct result_free {
    void operator()(PGresult* r) const noexcept { PQclear(r); }
};
using pg_result = std::unique_ptr<PGresult, result_free>;

// A statement's parameters: each text (format 0) or binary (format 1, for bytea).
class params {
  public:
    params& text(std::string v);
    params& number(std::int64_t v) { return text(std::to_string(v)); }
    params& binary(seal::byte_view v);
    params& null();
    std::vector<std::string> const& values() const noexcept { return values_; }
    std::vector<int> const& formats() const noexcept { return formats_; }
    std::vector<bool> const& nulls() const noexcept { return nulls_; }

  private:
    std::vector<std::string> values_;
    std::vector<int> formats_;
    std::vector<bool> nulls_;
};

// A PostgreSQL array literal of texts ('{"a","b"}') or of numbers, NULL where absent.
std::string text_array(std::vector<std::string> const& items);
std::string number_array(std::vector<std::int64_t> const& items,
                         std::vector<bool> const& nulls = {});

// Binary COPY's framing (the PostgreSQL manual, COPY, "Binary Format").
class copy_rows {
  public:
    copy_rows() {
        static constexpr char signature[] = "PGCOPY\n\377\r\n";
        out_.insert(out_.end(), signature, signature + 11);
        put32(0), put32(0);  // flags, header extension
    }
    void row(std::int16_t fields) { put16(static_cast<std::uint16_t>(fields)); }
    void number(std::int64_t v) {
        put32(8);
        for (int i = 7; i >= 0; --i)
            out_.push_back(static_cast<std::uint8_t>(static_cast<std::uint64_t>(v) >> (8 * i)));
    }
    void bytes(seal::byte_view v) {
        put32(static_cast<std::uint32_t>(v.size()));
        out_.insert(out_.end(), v.begin(), v.end());
    }
    void text(std::string_view v) { bytes(seal::as_bytes(v)); }
    seal::bytes const& done() {
        put16(0xffff);
        return out_;
    }

  private:
    void put16(std::uint16_t v) {
        out_.push_back(static_cast<std::uint8_t>(v >> 8));
        out_.push_back(static_cast<std::uint8_t>(v));
    }
    void put32(std::uint32_t v) {
        for (int i = 3; i >= 0; --i) out_.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
    }
    seal::bytes out_;
};

class connection {
  public:
    // Connects to `location` (a connection string or URL); "password-in-location" when it
    // carries a password, "store-unreachable" when no server answers or it refuses.
    static result<connection> open(std::string const& location);

    // Runs statements without parameters, one after another (a migration).
    void run_script(std::string const& sql);
    // Runs `sql`; binary results.
    pg_result run(std::string const& sql, params const& p = {});
    // Prepares `sql` as `name` (once per connection), then runs it.
    void prepare(std::string const& name, std::string const& sql);
    pg_result run_prepared(std::string const& name, params const& p = {});
    // COPY ... FROM STDIN (FORMAT binary) of `data` (header, tuples and trailer).
    void copy_in(std::string const& sql, seal::byte_view data);
    // Sends `sql` and ignores its outcome (a ROLLBACK on the way out).
    void run_quietly(std::string const& sql) noexcept;
    // Reconnects when the server went away (a restart); true when the link is up again.
    bool reset();
    // True once the link failed, including a shutdown the server announced before libpq saw
    // the socket close.
    bool broken() const noexcept;

  private:
    struct conn_free {
        void operator()(PGconn* c) const noexcept { PQfinish(c); }
    };
    explicit connection(PGconn* c) : c_(c) {}
    pg_result checked(PGresult* r, std::string_view what);
    std::unique_ptr<PGconn, conn_free> c_;
    bool lost_ = false;
};

// Cells of a binary result.
std::int64_t number_at(PGresult const* r, int row, int col);
std::string text_at(PGresult const* r, int row, int col);
seal::byte_view bytes_at(PGresult const* r, int row, int col);
bool null_at(PGresult const* r, int row, int col);

}  // namespace candor::pg::detail
