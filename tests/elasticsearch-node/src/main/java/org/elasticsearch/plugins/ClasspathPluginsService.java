package org.elasticsearch.plugins;

import org.elasticsearch.Build;
import org.elasticsearch.common.settings.Settings;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Plugins taken from the classpath instead of plugin bundles on disk (which a Maven classpath
 * does not have). Lives in this package because LoadedPlugin and loadPlugin are package-private.
 */
public class ClasspathPluginsService extends PluginsService {
    private final List<LoadedPlugin> plugins;

    public ClasspathPluginsService(Settings settings, PluginsLoader loader,
                                   Collection<Class<? extends Plugin>> classes) {
        super(settings, null, loader);
        plugins = new ArrayList<>(classes.size());
        for (Class<? extends Plugin> pluginClass : classes) {
            var descriptor = new PluginDescriptor(pluginClass.getName(), "classpath plugin", "NA",
                Build.current().version(), "21", pluginClass.getName(), null, List.of(),
                false, false, false, false, PluginDescriptor.DeploymentTarget.ALL);
            Plugin plugin = loadPlugin(pluginClass, settings, null);
            plugins.add(new LoadedPlugin(descriptor, plugin, pluginClass.getClassLoader()));
        }
    }

    @Override
    protected final List<LoadedPlugin> plugins() {
        return plugins;
    }
}
