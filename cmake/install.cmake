# Installs the library, its headers and a CMake package so that other
# projects can use find_package(gasworks).
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

get_property(layer_targets GLOBAL PROPERTY GASWORKS_LAYER_TARGETS)
install(TARGETS gasworks ${layer_targets} EXPORT gasworksTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
foreach(dir engine toolkits partition)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/${dir} DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/gasworks
    FILES_MATCHING PATTERN "*.hpp")
endforeach()
install(EXPORT gasworksTargets NAMESPACE gasworks:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/gasworks)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/gasworksConfig.cmake.in
  ${PROJECT_BINARY_DIR}/gasworksConfig.cmake INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/gasworks)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/gasworksConfigVersion.cmake COMPATIBILITY SameMajorVersion)
# The static library links METIS privately, so consumers still need the
# METIS::METIS target: the config finds it with this module.
install(FILES ${PROJECT_BINARY_DIR}/gasworksConfig.cmake ${PROJECT_BINARY_DIR}/gasworksConfigVersion.cmake
  ${PROJECT_SOURCE_DIR}/cmake/FindMETIS.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/gasworks)
