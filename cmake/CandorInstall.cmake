include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(CANDOR_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/candor)

install(TARGETS candor EXPORT candor-targets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/candor
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(FILES ${PROJECT_BINARY_DIR}/include/candor/version.hpp
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/candor)
install(EXPORT candor-targets NAMESPACE candor:: DESTINATION ${CANDOR_CMAKE_DIR})
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

configure_file(${PROJECT_SOURCE_DIR}/cmake/candor.pc.in ${PROJECT_BINARY_DIR}/candor.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/candor.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
