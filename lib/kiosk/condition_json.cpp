#include "kiosk/condition_json.hpp"

#include <string_view>

namespace candor::kiosk {

namespace {

std::string_view name(survey::opcode op) {
    using survey::opcode;
    switch (op) {
        case opcode::number:
            return "number";
        case opcode::text:
            return "text";
        case opcode::boolean:
            return "boolean";
        case opcode::question:
            return "question";
        case opcode::field:
            return "field";
        case opcode::answered:
            return "answered";
        case opcode::count:
            return "count";
        case opcode::negate:
            return "negate";
        case opcode::add:
            return "add";
        case opcode::subtract:
            return "subtract";
        case opcode::multiply:
            return "multiply";
        case opcode::divide:
            return "divide";
        case opcode::equal:
            return "equal";
        case opcode::not_equal:
            return "not_equal";
        case opcode::less:
            return "less";
        case opcode::less_equal:
            return "less_equal";
        case opcode::greater:
            return "greater";
        case opcode::greater_equal:
            return "greater_equal";
        case opcode::logical_and:
            return "and";
        case opcode::logical_or:
            return "or";
        case opcode::logical_not:
            return "not";
        case opcode::in:
            return "in";
        case opcode::contains:
            return "contains";
    }
    return "unknown";
}

}  // namespace

nlohmann::json to_json(survey::expr const& e) {
    using survey::opcode;
    auto nodes = nlohmann::json::array();
    for (auto const& n : e.nodes) {
        nlohmann::json j{{"op", name(n.op)}};
        switch (n.op) {
            case opcode::number:
            case opcode::boolean:
                j["number"] = n.number;
                break;
            case opcode::text:
                j["text"] = n.text;
                break;
            case opcode::question:
            case opcode::field:
            case opcode::answered:
            case opcode::count:
            case opcode::negate:
            case opcode::logical_not:
                j["a"] = n.a;
                break;
            case opcode::in:
                j["a"] = n.a;
                j["list"] = n.list;
                break;
            default:
                j["a"] = n.a;
                j["b"] = n.b;
                break;
        }
        nodes.push_back(std::move(j));
    }
    return nodes;
}

}  // namespace candor::kiosk
