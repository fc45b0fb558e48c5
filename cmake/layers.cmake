# The layers of gasworks, each a CMake target over its own folders, and the
# rule that holds them together: a file may include headers of its own layer
# and of the layers it names in USES, never of any other. The list below is
# the architecture; `gasworks_check_layers` reads every file of the tree and
# stops the configure step on an include that breaks it (scripts/check_layers.cmake
# runs the same check as a test).
#
# gasworks_layer(<name> DIRS <folders...> [USES <layers...>])
#   A folder belongs to the layer that names it; a file belongs to the layer
#   of the longest folder that holds it (engine/gas belongs to gas, not to
#   the engine folder's own layer).

set_property(GLOBAL PROPERTY GASWORKS_LAYERS "")

function(gasworks_layer name)
  cmake_parse_arguments(PARSE_ARGV 1 L "" "" "DIRS;USES")
  set_property(GLOBAL APPEND PROPERTY GASWORKS_LAYERS ${name})
  set_property(GLOBAL PROPERTY GASWORKS_LAYER_${name}_DIRS ${L_DIRS})
  set_property(GLOBAL PROPERTY GASWORKS_LAYER_${name}_USES ${L_USES})
endfunction()

# Writes the table where the check script (run as a test too) reads it.
function(gasworks_write_layer_table file)
  get_property(layers GLOBAL PROPERTY GASWORKS_LAYERS)
  set(text "set(GASWORKS_LAYERS ${layers})\n")
  foreach(layer IN LISTS layers)
    get_property(dirs GLOBAL PROPERTY GASWORKS_LAYER_${layer}_DIRS)
    get_property(uses GLOBAL PROPERTY GASWORKS_LAYER_${layer}_USES)
    string(APPEND text "set(GASWORKS_LAYER_${layer}_DIRS ${dirs})\nset(GASWORKS_LAYER_${layer}_USES ${uses})\n")
  endforeach()
  file(WRITE ${file} "${text}")
endfunction()

# Layers of programs rather than libraries: they have no target of their own.
set(GASWORKS_PROGRAM_LAYERS examples apps bench tests)

# The architecture, from the bottom up.
gasworks_layer(core       DIRS engine/core)
gasworks_layer(comm       DIRS engine/comm       USES core)
gasworks_layer(io         DIRS engine/io         USES comm core)
gasworks_layer(checkpoint DIRS engine/checkpoint USES io comm core)
gasworks_layer(generators DIRS engine/generators USES core)
gasworks_layer(graph      DIRS engine/graph      USES io comm core)
gasworks_layer(partition  DIRS partition         USES graph io core)
gasworks_layer(ingress    DIRS engine/ingress    USES partition graph io comm core)
gasworks_layer(gas        DIRS engine/gas        USES checkpoint graph comm core)
gasworks_layer(sync       DIRS engine/sync       USES gas checkpoint graph comm core)
gasworks_layer(async      DIRS engine/async      USES gas checkpoint graph comm core)
gasworks_layer(phased     DIRS engine/phased     USES gas checkpoint graph comm core)
gasworks_layer(engines    DIRS engine            USES sync async phased gas checkpoint graph comm core)
gasworks_layer(cli        DIRS engine/cli        USES engines sync async phased gas checkpoint ingress partition graph io comm core)
gasworks_layer(toolkits   DIRS toolkits          USES engines sync async phased gas checkpoint ingress graph io comm core)
gasworks_layer(examples   DIRS apps/examples     USES engines sync gas graph io core)
gasworks_layer(apps       DIRS apps              USES cli toolkits engines sync async phased gas checkpoint ingress partition graph io generators comm core)
gasworks_layer(bench      DIRS bench             USES cli toolkits engines sync async phased gas checkpoint ingress partition graph io generators comm core)
gasworks_layer(tests      DIRS tests             USES examples cli toolkits engines sync async phased gas checkpoint ingress partition graph io generators comm core)

# The target gasworks_<layer> of a layer: `kind` is STATIC or INTERFACE,
# followed by the sources of a STATIC layer. It links the targets of the
# layers it uses, so that the link order follows the same table.
function(gasworks_layer_target layer kind)
  set(target gasworks_${layer})
  get_property(uses GLOBAL PROPERTY GASWORKS_LAYER_${layer}_USES)
  set(used "")
  foreach(use IN LISTS uses)
    # Targets may be defined later (partition after the engine's folder).
    if(NOT use IN_LIST GASWORKS_PROGRAM_LAYERS)
      list(APPEND used gasworks_${use})
    endif()
  endforeach()
  if(kind STREQUAL "INTERFACE")
    add_library(${target} INTERFACE)
    target_link_libraries(${target} INTERFACE ${used})
  else()
    add_library(${target} ${kind} ${ARGN})
    target_link_libraries(${target} PUBLIC ${used} PRIVATE $<BUILD_INTERFACE:gasworks_build_flags>)
    set_target_properties(${target} PROPERTIES POSITION_INDEPENDENT_CODE ON)
  endif()
  set_target_properties(${target} PROPERTIES EXPORT_NAME ${layer})
  add_library(gasworks::${layer} ALIAS ${target})
  set_property(GLOBAL APPEND PROPERTY GASWORKS_LAYER_TARGETS ${target})
endfunction()
