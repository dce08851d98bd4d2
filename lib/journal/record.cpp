#include "candor/journal/record.hpp"

#include <boost/serialization/split_free.hpp>
#include <boost/serialization/version.hpp>
#include <exception>

#include "archive_io.hpp"
#include "candor/seal/receipt.hpp"
#include "candor/seal/sign.hpp"
#include "canonical.hpp"

namespace boost::serialization {

// Format 1 records are written as class version 1, byte for byte as before format 2, so a
// Candor from before reads them; this view gives them their own class version.
struct record_v1 {
    candor::journal::record const* r;
};

template <class Ar>
void save_v1_fields(Ar& ar, candor::journal::record const& r) {
    using candor::journal::detail::save_sized;
    save_sized(ar, r.device);
    ar << r.seq;
    save_sized(ar, r.survey);
    ar << r.survey_version;
    save_sized(ar, r.site);
    ar << r.time;
    ar.save_binary(r.prev.data(), r.prev.size());
    save_sized(ar, r.sealed);
    ar.save_binary(r.sig.data(), r.sig.size());
}

template <class Ar>
void serialize(Ar& ar, record_v1& v, unsigned /*version*/) {
    save_v1_fields(ar, *v.r);
}

template <class Ar>
void save(Ar& ar, candor::journal::record const& r, unsigned /*version*/) {
    using candor::journal::detail::save_sized;
    save_v1_fields(ar, r);
    save_sized(ar, r.personal);
    save_sized(ar, r.key_box);
}

template <class Ar>
void load(Ar& ar, candor::journal::record& r, unsigned version) {
    using candor::journal::max_name_bytes;
    using candor::journal::detail::load_sized;
    if (version != 1 && version != 2)
        throw archive::archive_exception(archive::archive_exception::unsupported_class_version,
                                         "record");
    load_sized(ar, r.device, max_name_bytes);
    ar >> r.seq;
    load_sized(ar, r.survey, max_name_bytes);
    ar >> r.survey_version;
    load_sized(ar, r.site, max_name_bytes);
    ar >> r.time;
    ar.load_binary(r.prev.data(), r.prev.size());
    load_sized(ar, r.sealed, candor::journal::max_sealed_bytes);
    ar.load_binary(r.sig.data(), r.sig.size());
    r.format = version;
    if (version == 1) return;
    load_sized(ar, r.personal, candor::journal::max_sealed_bytes - r.sealed.size());
    load_sized(ar, r.key_box, candor::journal::max_key_box_bytes);
}

}  // namespace boost::serialization

BOOST_SERIALIZATION_SPLIT_FREE(candor::journal::record)
BOOST_CLASS_VERSION(candor::journal::record, 2)
BOOST_CLASS_TRACKING(candor::journal::record, boost::serialization::track_never)
BOOST_CLASS_VERSION(boost::serialization::record_v1, 1)
BOOST_CLASS_TRACKING(boost::serialization::record_v1, boost::serialization::track_never)

namespace candor::journal {

namespace {
constexpr std::string_view signing_domain = "candor-record-v1";
constexpr std::string_view signing_domain_v2 = "candor-record-v2";
using detail::put_le;
using detail::put_sized;
}  // namespace

seal::bytes signed_bytes(record const& r) {
    auto const domain = r.format == 1 ? signing_domain : signing_domain_v2;
    seal::bytes out(domain.begin(), domain.end());
    out.reserve(128 + r.device.size() + r.survey.size() + r.site.size() + r.sealed.size());
    put_sized(out, seal::as_bytes(r.device));
    put_le(out, r.seq, 8);
    put_sized(out, seal::as_bytes(r.survey));
    put_le(out, r.survey_version, 4);
    put_sized(out, seal::as_bytes(r.site));
    put_le(out, static_cast<std::uint64_t>(r.time), 8);
    out.insert(out.end(), r.prev.begin(), r.prev.end());
    put_sized(out, r.sealed);
    if (r.format != 1) {
        auto const h = seal::hash(r.personal);
        out.insert(out.end(), h.begin(), h.end());
    }
    return out;
}

seal::digest record_hash(record const& r) {
    auto b = signed_bytes(r);
    b.insert(b.end(), r.sig.begin(), r.sig.end());
    return seal::hash(b);
}

void sign_record(record& r, seal::device_secret const& key) {
    r.sig = seal::sign(key, signed_bytes(r));
}

bool signature_ok(record const& r, seal::public_key const& device_key) {
    return seal::verify(device_key, signed_bytes(r), r.sig);
}

std::string receipt(record const& r) {
    return seal::receipt_code(record_hash(r));
}

seal::bytes to_payload(record const& r) {
    if (r.format == 1) return detail::save_archive(boost::serialization::record_v1{&r});
    return detail::save_archive(r);
}

result<record> from_payload(seal::byte_view payload) {
    try {
        return detail::load_archive<record>(payload);
    } catch (std::exception const& e) {  // Boost's archive_exception, or std::bad_alloc
        return fail("bad-record", std::string("not a readable record: ") + e.what());
    }
}

}  // namespace candor::journal
