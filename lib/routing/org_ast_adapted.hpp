#pragma once

#include <boost/fusion/include/adapt_struct.hpp>

#include "org_ast.hpp"

BOOST_FUSION_ADAPT_STRUCT(candor::routing::ast::option, key, values)
BOOST_FUSION_ADAPT_STRUCT(candor::routing::ast::entity_stmt, keyword, id, label, options)
BOOST_FUSION_ADAPT_STRUCT(candor::routing::ast::holding, role, place)
BOOST_FUSION_ADAPT_STRUCT(candor::routing::ast::channel, kind, address)
BOOST_FUSION_ADAPT_STRUCT(candor::routing::ast::person_stmt, id, label, holds, channels)
BOOST_FUSION_ADAPT_STRUCT(candor::routing::ast::rule_stmt, condition, targets, options)
