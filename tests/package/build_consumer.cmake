# Builds and runs the consumer in one of four ways (MODE), failing on any error.
function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "failed (${rc}): ${ARGN}")
  endif()
endfunction()

file(REMOVE_RECURSE ${BUILD})
if(MODE STREQUAL "find_package")
  run(${CMAKE_COMMAND} -S ${SOURCE} -B ${BUILD} -G ${GENERATOR} -DCMAKE_PREFIX_PATH=${PREFIX}
      -DCANDOR_WITH_C=${WITH_C})
  run(${CMAKE_COMMAND} --build ${BUILD})
  run(${BUILD}/consumer ${SURVEY})
  if(WITH_C)
    run(${BUILD}/c_consumer ${SURVEY})
  endif()
elseif(MODE STREQUAL "header_only")
  # The statistics kernel alone: built with -H, so every header the compiler opened is in
  # the build's output; none may be a dependency's other than Eigen's.
  # No compiler cache: one would replay the -H list another tree's build wrote.
  run(${CMAKE_COMMAND} -S ${SOURCE} -B ${BUILD} -G ${GENERATOR} -DCMAKE_PREFIX_PATH=${PREFIX}
      -DCMAKE_CXX_COMPILER_LAUNCHER=)
  execute_process(COMMAND ${CMAKE_COMMAND} --build ${BUILD} RESULT_VARIABLE rc
                  OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "the header-only consumer did not build:\n${out}${err}")
  endif()
  string(REGEX MATCHALL "[^\n]*(boost|nlohmann|sodium|httplib|/lib/util/)[^\n]*" bad "${out}${err}")
  if(bad)
    message(FATAL_ERROR "the header-only kernel included:\n${bad}")
  endif()
  foreach(header ${PREFIX}/include/candor/stats/segments.hpp
                 ${PREFIX}/include/candor/stats/detail/segments-inl.hpp Eigen/Core)
    string(FIND "${out}${err}" "${header}" at)
    if(at EQUAL -1)
      message(FATAL_ERROR "${header} was not included from where it should be:\n${out}${err}")
    endif()
  endforeach()
  run(${BUILD}/stats_consumer)
elseif(MODE STREQUAL "add_subdirectory")
  run(${CMAKE_COMMAND} -S ${SOURCE} -B ${BUILD} -G ${GENERATOR} -DCANDOR_SOURCE=${CANDOR_SOURCE})
  run(${CMAKE_COMMAND} --build ${BUILD} -j 2)
  run(${BUILD}/consumer ${SURVEY})
elseif(MODE STREQUAL "pkg_config")
  file(MAKE_DIRECTORY ${BUILD})
  set(ENV{PKG_CONFIG_PATH} "${PREFIX}/lib/pkgconfig")
  execute_process(COMMAND pkg-config --cflags --libs --static candor
                  OUTPUT_VARIABLE flags OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "pkg-config does not know candor")
  endif()
  separate_arguments(flags UNIX_COMMAND "${flags}")
  run(${CXX} ${SOURCE}/main.cpp -o ${BUILD}/consumer ${flags})
  run(${BUILD}/consumer ${SURVEY})
  if(NOT WITH_C)
    return()
  endif()
  # The C API, a shared library: found at run time through the rpath of its libdir.
  execute_process(COMMAND pkg-config --cflags --libs candor_c
                  OUTPUT_VARIABLE flags OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE rc)
  execute_process(COMMAND pkg-config --variable=libdir candor_c
                  OUTPUT_VARIABLE libdir OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "pkg-config does not know candor_c")
  endif()
  separate_arguments(flags UNIX_COMMAND "${flags}")
  run(${CC} -std=c99 -Wall -Werror ${SOURCE}/main.c -o ${BUILD}/c_consumer ${flags}
      -Wl,-rpath,${libdir})
  run(${BUILD}/c_consumer ${SURVEY})
elseif(MODE STREQUAL "report")
  # The consumer's report and `candor report --format json` on the same cards: equal.
  run(${CMAKE_COMMAND} -S ${SOURCE} -B ${BUILD} -G ${GENERATOR} -DCMAKE_PREFIX_PATH=${PREFIX})
  run(${CMAKE_COMMAND} --build ${BUILD})
  set(args ${SURVEY} ${RESPONSES} ${ORG} customer_care 2026-11-16T09:00:00Z)
  run(${BUILD}/report_consumer ${args} OUTPUT_FILE ${BUILD}/consumer.json)
  run(${CANDOR} report --survey ${SURVEY} --responses ${RESPONSES} --org ${ORG}
      --reader-role customer_care --now 2026-11-16T09:00:00Z --format json
      OUTPUT_FILE ${BUILD}/candor.json)
  file(READ ${BUILD}/consumer.json mine)
  file(READ ${BUILD}/candor.json theirs)
  string(LENGTH "${mine}" size)
  if(NOT mine STREQUAL theirs OR size LESS 1000)
    message(FATAL_ERROR "the consumer's report (${BUILD}/consumer.json) differs from candor "
                        "report's (${BUILD}/candor.json)")
  endif()
  message(STATUS "report JSON of the consumer equals candor report's (${size} bytes)")
else()
  message(FATAL_ERROR "unknown MODE ${MODE}")
endif()
