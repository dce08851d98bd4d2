# candor_add_module(NAME SOURCES... [PUBLIC deps...] [PRIVATE deps...])
# One library per module: target candor_NAME, alias and export name candor::NAME, the
# public headers of include/ and, privately, lib/ (for lib/util/ and the module's own
# private headers). Each module links only what it uses; candor::candor is the umbrella.
function(candor_add_module name)
  cmake_parse_arguments(M "" "" "SOURCES;PUBLIC;PRIVATE" ${ARGN})
  set(target candor_${name})
  add_library(${target} ${M_SOURCES})
  add_library(candor::${name} ALIAS ${target})
  target_include_directories(${target}
    PUBLIC $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
           $<BUILD_INTERFACE:${PROJECT_BINARY_DIR}/include>
           $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>
    PRIVATE $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/lib>)
  target_compile_features(${target} PUBLIC cxx_std_20)
  target_link_libraries(${target} PUBLIC ${M_PUBLIC}
                        PRIVATE $<BUILD_INTERFACE:candor_warnings> ${M_PRIVATE})
  set_target_properties(${target} PROPERTIES EXPORT_NAME ${name} OUTPUT_NAME candor_${name}
                        VERSION ${PROJECT_VERSION} SOVERSION ${PROJECT_VERSION_MAJOR})
  set_property(GLOBAL APPEND PROPERTY CANDOR_MODULES ${target})
endfunction()
