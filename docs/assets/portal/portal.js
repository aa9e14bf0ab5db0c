/* Portal widgets: placeholder until the widget code lands. */
