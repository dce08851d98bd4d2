// Boost.Serialization of the mergeable aggregates (histogram, moments, comoments), so that
// shards computed on other threads, days or machines travel and merge. Needs Boost.Serialization,
// so it is not part of candor::stats-header-only: link candor::stats (or Boost::serialization).
// Thread safety: as Boost's archives (one archive per thread).
#pragma once

#include <boost/serialization/vector.hpp>

#include "candor/stats/aggregate.hpp"

namespace boost::serialization {

template <class Archive>
void serialize(Archive& ar, candor::stats::moments& m, unsigned /*version*/) {
    ar& m.n& m.w& m.w2& m.mean& m.m2& m.l& m.q;
}

template <class Archive>
void serialize(Archive& ar, candor::stats::histogram& h, unsigned /*version*/) {
    ar& h.lo& h.n& h.w& h.w2;
}

template <class Archive>
void serialize(Archive& ar, candor::stats::comoments& m, unsigned /*version*/) {
    Eigen::Index k = m.mean.size();
    ar& k;
    if constexpr (Archive::is_loading::value) m = candor::stats::comoments(k);
    ar& m.n& m.w;
    for (Eigen::Index i = 0; i < k; ++i) ar& m.mean[i];
    for (Eigen::Index i = 0; i < k * k; ++i) ar& m.c.data()[i];
}

}  // namespace boost::serialization
