// Boost.Serialization binary archives over memory, and the checked field helpers every
// archived class of the journal uses. Library-only: consumers never see Boost archives.
#pragma once

#include <boost/archive/binary_iarchive.hpp>
#include <boost/archive/binary_oarchive.hpp>
#include <algorithm>
#include <cstdint>
#include <string_view>
#include <streambuf>
#include <string>

#include "candor/seal/bytes.hpp"

namespace candor::journal::detail {

// Appends to a byte vector.
class byte_sink : public std::streambuf {
public:
    explicit byte_sink(seal::bytes& out) : out_(out) {}

protected:
    std::streamsize xsputn(char const* s, std::streamsize n) override {
        out_.insert(out_.end(), s, s + n);
        return n;
    }
    int_type overflow(int_type c) override {
        if (c != traits_type::eof()) out_.push_back(static_cast<std::uint8_t>(c));
        return c;
    }

private:
    seal::bytes& out_;
};

// Reads from a byte view.
class byte_source : public std::streambuf {
public:
    explicit byte_source(seal::byte_view in) {
        auto* p = const_cast<char*>(reinterpret_cast<char const*>(in.data()));
        setg(p, p, p + in.size());
    }
    bool at_end() { return gptr() == egptr(); }
};

// Variable-length fields go as u32 length + bytes, the length checked before anything is
// allocated, so a damaged or hostile archive cannot ask for gigabytes.
template <class Ar, class Bytes>
void save_sized(Ar& ar, Bytes const& b) {
    auto n = static_cast<std::uint32_t>(b.size());
    ar << n;
    if (n != 0) ar.save_binary(b.data(), n);
}

template <class Ar, class Bytes>
void load_sized(Ar& ar, Bytes& b, std::size_t limit) {
    std::uint32_t n = 0;
    ar >> n;
    if (n > limit)
        throw boost::archive::archive_exception(boost::archive::archive_exception::other_exception,
                                                "field longer than its limit");
    b.resize(n);
    if (n != 0) ar.load_binary(b.data(), n);
}

// Archives from and to bytes; Boost's own header is kept so that a later Boost reads them.
template <class T>
seal::bytes save_archive(T const& value) {
    seal::bytes out;
    byte_sink sink(out);
    {
        boost::archive::binary_oarchive ar(sink);
        ar << value;
    }
    return out;
}

// Boost reads its archive signature with whatever length the bytes claim, so a damaged
// payload could ask for exabytes: the bytes up to the end of the signature must be exactly
// those Boost writes.
inline seal::byte_view archive_signature_prefix() {
    static seal::bytes const prefix = [] {
        auto sample = save_archive(std::uint32_t{0});
        constexpr std::string_view signature = "serialization::archive";
        auto text = seal::as_chars(sample);
        auto at = text.find(signature);
        return seal::bytes(sample.begin(),
                           sample.begin() + static_cast<std::ptrdiff_t>(at + signature.size()));
    }();
    return prefix;
}

// Throws boost::archive::archive_exception (or std::exception) on a bad archive.
template <class T>
T load_archive(seal::byte_view in) {
    auto prefix = archive_signature_prefix();
    if (in.size() < prefix.size() || !std::equal(prefix.begin(), prefix.end(), in.begin()))
        throw boost::archive::archive_exception(
            boost::archive::archive_exception::invalid_signature);
    byte_source src(in);
    T value;
    boost::archive::binary_iarchive ar(src);
    ar >> value;
    if (!src.at_end())
        throw boost::archive::archive_exception(boost::archive::archive_exception::other_exception,
                                                "trailing bytes");
    return value;
}

}  // namespace candor::journal::detail
