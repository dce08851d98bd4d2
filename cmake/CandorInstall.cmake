include(CMakePackageConfigHelpers)

set(CANDOR_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/candor)

# One export file per module, so that find_package(candor COMPONENTS journal) loads the
# journal and what it needs, and never asks for cpp-httplib (routing's).
get_property(candor_modules GLOBAL PROPERTY CANDOR_MODULES)
foreach(target IN LISTS candor_modules)
  string(REGEX REPLACE "^candor_" "" module ${target})
  install(TARGETS ${target} EXPORT candor-${module}-targets
          ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
          LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
          RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
          INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
  install(EXPORT candor-${module}-targets NAMESPACE candor:: DESTINATION ${CANDOR_CMAKE_DIR})
endforeach()
install(TARGETS candor EXPORT candor-targets)
install(EXPORT candor-targets NAMESPACE candor:: DESTINATION ${CANDOR_CMAKE_DIR})
if(TARGET candor_stats_header_only)
  install(TARGETS candor_stats_header_only EXPORT candor-stats-header-only-targets)
  install(EXPORT candor-stats-header-only-targets NAMESPACE candor:: DESTINATION ${CANDOR_CMAKE_DIR})
endif()

install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/candor
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(FILES ${PROJECT_BINARY_DIR}/include/candor/version.hpp
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/candor)
# The C API, its own file: a Candor built without bindings has none (candor-config.cmake
# then reports the component `c` as not found).
if(TARGET candor_c)
  install(EXPORT candor-c-targets NAMESPACE candor:: DESTINATION ${CANDOR_CMAKE_DIR})
endif()

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/candor-config.cmake.in
  ${PROJECT_BINARY_DIR}/candor-config.cmake INSTALL_DESTINATION ${CANDOR_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/candor-config-version.cmake
  COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/candor-config.cmake
              ${PROJECT_BINARY_DIR}/candor-config-version.cmake
        DESTINATION ${CANDOR_CMAKE_DIR})

# pkg-config: candor (everything) and one file per module, e.g. candor-journal.
set(CANDOR_PC_MODULES "")
foreach(target IN LISTS candor_modules)
  string(REGEX REPLACE "^candor_" "" module ${target})
  list(APPEND CANDOR_PC_MODULES ${module})
endforeach()
configure_file(${PROJECT_SOURCE_DIR}/cmake/candor.pc.in ${PROJECT_BINARY_DIR}/candor.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/candor.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
