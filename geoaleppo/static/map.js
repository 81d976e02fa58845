// geoaleppo map: draws one document on a Leaflet map. The document is built in Python
// (geoaleppo/maps.py) and every text in it is already escaped HTML; nothing here builds
// markup out of anything else. Panes give the cartographic order, bottom to top.
function geoaleppoMap(map, data) {
  'use strict';
  var PANES = [
    ['geoaleppo-context', 350], ['geoaleppo-control', 410], ['geoaleppo-areas', 420],
    ['geoaleppo-places', 430], ['geoaleppo-hover', 440], ['geoaleppo-events', 450],
    ['geoaleppo-labels', 460]
  ];
  PANES.forEach(function (pane) { map.createPane(pane[0]).style.zIndex = pane[1]; });
  // Outlines shown on hover and labels never take the pointer from what lies below.
  map.getPane('geoaleppo-hover').style.pointerEvents = 'none';
  map.getPane('geoaleppo-labels').style.pointerEvents = 'none';
  var HATCH = 'geoaleppo-hatch';
  // Room for the title in the top left corner: a popup never opens under it.
  var popupOptions = {maxWidth: 420, autoPanPaddingTopLeft: L.point(70, 150),
                      autoPanPaddingBottomRight: L.point(30, 30)};
  var overlays = {};

  function bind(layer, properties) {
    layer.bindTooltip(properties.tooltip, {sticky: true});
    if (properties.popup) layer.bindPopup(properties.popup, popupOptions);
  }

  // -- symbols: the same drawing on the map and in the legend ------------------------
  function symbolSvg(symbol, colour, size) {
    var s = size, h = s / 2, shape;
    if (symbol === 'clash') {
      shape = '<circle cx="' + h + '" cy="' + h + '" r="' + (h - 1.5) + '"/>';
    } else if (symbol === 'strike') {
      shape = '<polygon points="' + h + ',1 ' + (s - 1) + ',' + h + ' ' + h + ',' + (s - 1) +
        ' 1,' + h + '"/>';
    } else if (symbol === 'capture') {
      shape = '<polygon points="' + h + ',1 ' + (s - 1) + ',' + (s - 1) + ' 1,' + (s - 1) +
        '"/>';
    } else {
      shape = '<rect x="2.5" y="2.5" width="' + (s - 5) + '" height="' + (s - 5) + '"/>';
    }
    return '<svg width="' + s + '" height="' + s + '" viewBox="0 0 ' + s + ' ' + s + '">' +
      '<g fill="' + colour + '" fill-opacity="0.92" stroke="#fff" stroke-width="1.5">' +
      shape + '</g></svg>';
  }
  function symbolSize(count) { return Math.round(Math.min(34, 18 + 4 * Math.log2(count))); }
  function symbolIcon(symbol, colour, properties) {
    var size = symbolSize(properties.count);
    // Symbols of several kinds at one place stand side by side, not on top of each other.
    var shift = properties.slots > 1 ? (properties.slot - (properties.slots - 1) / 2) * 20 : 0;
    var badge = properties.count > 1 ?
      '<span class="geoaleppo-count">' + properties.count + '</span>' : '';
    return L.divIcon({
      className: 'geoaleppo-symbol geoaleppo-symbol-' + symbol,
      html: symbolSvg(symbol, colour, size) + badge,
      iconSize: [size, size], iconAnchor: [size / 2 - shift, size / 2]
    });
  }

  // -- context: neighbourhood outlines, at the bottom --------------------------------
  var context = L.geoJSON(data.context, {
    pane: 'geoaleppo-context',
    style: {color: '#757575', weight: 1, opacity: 0.7, fill: true, fillOpacity: 0},
    onEachFeature: function (feature, layer) { bind(layer, feature.properties); }
  }).addTo(map);
  overlays[data.contextName] = context;

  // -- control: a click lists every place with reported control that holds the point --
  function ringHolds(ring, x, y) {
    var inside = false;
    for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      var xi = ring[i][0], yi = ring[i][1], xj = ring[j][0], yj = ring[j][1];
      if (((yi > y) !== (yj > y)) && (x < (xj - xi) * (y - yi) / (yj - yi) + xi)) {
        inside = !inside;
      }
    }
    return inside;
  }
  function polygonHolds(rings, x, y) {
    if (!ringHolds(rings[0], x, y)) return false;
    for (var k = 1; k < rings.length; k++) if (ringHolds(rings[k], x, y)) return false;
    return true;
  }
  function holds(geometry, latlng) {
    var x = latlng.lng, y = latlng.lat;
    if (geometry.type === 'Polygon') return polygonHolds(geometry.coordinates, x, y);
    if (geometry.type === 'MultiPolygon') {
      return geometry.coordinates.some(function (p) { return polygonHolds(p, x, y); });
    }
    return false;
  }
  function controlStyle(feature) {
    var status = feature.properties.status, colour = data.statusColours[status];
    var style = {color: colour, weight: 2, fillColor: colour, fillOpacity: 0.4,
                 dashArray: feature.properties.rough ? '5 4' : null};
    if (status === 'contested') {
      style.fillColor = 'url(#' + HATCH + ')';
      style.fillOpacity = 0.9;
    } else if (status === 'unknown') {
      style.fillOpacity = 0;
    }
    // An area drawn as its districts: one fill over them all, the inner borders faint.
    if (feature.properties.area) { style.weight = 1; style.fillRule = 'nonzero'; }
    return style;
  }
  var controlled = data.control.slice();
  // What holds a point: the places with reported control, smallest first.
  function controlAt(latlng, fallback) {
    var here = controlled.filter(function (f) { return holds(f.geometry, latlng); })
      .sort(function (a, b) { return b.properties.order - a.properties.order; });
    return here.length ? here : [fallback];
  }
  // The neighbourhood under the pointer, so its name shows over any fill.
  function neighbourhoodAt(latlng) {
    for (var i = 0; i < data.context.length; i++) {
      if (holds(data.context[i].geometry, latlng)) return data.context[i].properties.tooltip;
    }
    return '';
  }
  var control = L.geoJSON(controlled, {
    pane: 'geoaleppo-control', style: controlStyle,
    onEachFeature: function (feature, layer) {
      layer.bindTooltip(feature.properties.tooltip, {sticky: true});
      layer.on('mousemove', function (event) {
        var name = neighbourhoodAt(event.latlng);
        var statuses = controlAt(event.latlng, feature).map(function (f) {
          return f.properties.tooltip;
        }).join('<br>');
        layer.setTooltipContent((name ? '<b>' + name + '</b><br>' : '') + statuses);
      });
      layer.on('click', function (event) {
        L.DomEvent.stop(event);
        L.popup(popupOptions).setLatLng(event.latlng)
          .setContent(controlAt(event.latlng, feature).map(function (f) {
            return f.properties.section;
          }).join(''))
          .openOn(map);
      });
    }
  }).addTo(map);
  overlays.Control = control;

  // -- derived areas, as outlines --------------------------------------------------
  var derived = L.geoJSON(data.derived, {
    pane: 'geoaleppo-areas',
    style: {color: '#000', weight: 2, dashArray: '6 4', fill: false},
    onEachFeature: function (feature, layer) { bind(layer, feature.properties); }
  }).addTo(map);

  // -- places mentioned ----------------------------------------------------------------
  var places = L.geoJSON(data.places, {
    pointToLayer: function (feature, latlng) {
      return L.circleMarker(latlng, {pane: 'geoaleppo-places', radius: 5, color: '#1f78b4',
                                     weight: 1, fillColor: '#1f78b4', fillOpacity: 0.8});
    },
    onEachFeature: function (feature, layer) { bind(layer, feature.properties); }
  });

  // -- events: symbols on top, a district's outline on hover -----------------------------
  // The slider's symbols name their outline (an id into the shapes); others carry it.
  var shapes = {};
  data.context.forEach(function (f) { shapes[f.properties.id] = f.geometry; });
  if (data.timeline) {
    Object.keys(data.timeline.shapes).forEach(function (id) {
      shapes[id] = data.timeline.shapes[id];
    });
  }
  var eventLayers = [], hoverOutline = null;
  function clearHover() {
    if (hoverOutline) { map.removeLayer(hoverOutline); hoverOutline = null; }
  }
  data.eventLayers.forEach(function (group) {
    var layer = L.geoJSON(null, {
      pointToLayer: function (feature, latlng) {
        return L.marker(latlng, {pane: 'geoaleppo-events', riseOnHover: true,
                                 icon: symbolIcon(group.symbol, group.colour,
                                                  feature.properties)});
      },
      onEachFeature: function (feature, marker) {
        bind(marker, feature.properties);
        marker.on('mouseover', function () {
          clearHover();
          var outline = feature.properties.outline;
          if (typeof outline === 'string') outline = shapes[outline];
          if (!outline) return;
          hoverOutline = L.geoJSON(outline, {
            pane: 'geoaleppo-hover', interactive: false,
            style: {color: group.colour, weight: 3, dashArray: '4 3', fill: false}
          }).addTo(map);
        });
        marker.on('mouseout', clearHover);
      }
    }).addTo(map);
    eventLayers.push(layer);
    overlays[group.name] = layer;
  });
  // Symbols of several kinds at one place stand side by side: number them per point.
  function drawEvents(groups) {
    clearHover();
    var slots = {};
    groups.forEach(function (features) {
      features.forEach(function (f) {
        var key = f.geometry.coordinates.join(',');
        f.properties.slot = (slots[key] = (slots[key] || 0) + 1) - 1;
      });
    });
    groups.forEach(function (features, i) {
      features.forEach(function (f) {
        f.properties.slots = slots[f.geometry.coordinates.join(',')];
      });
      eventLayers[i].clearLayers();
      eventLayers[i].addData(features);
    });
  }
  drawEvents(data.eventLayers.map(function (group) { return group.features; }));
  overlays['Places mentioned'] = places;
  overlays['Derived areas'] = derived;

  // -- labels: the Old City, the citadel and named places always; neighbourhoods near --
  var labels = L.layerGroup(data.labels.map(function (label) {
    return L.marker([label.lat, label.lon], {
      pane: 'geoaleppo-labels', interactive: false, keyboard: false,
      icon: L.divIcon({className: 'geoaleppo-label' +
                         (label.minor ? ' geoaleppo-label-minor' : ''),
                       html: '<span>' + label.text + '</span>', iconSize: null})
    });
  })).addTo(map);
  overlays.Labels = labels;
  function zoomClass() {
    map.getContainer().classList.toggle('geoaleppo-near', map.getZoom() >= 14);
  }
  map.on('zoomend', zoomClass);

  // -- controls: fullscreen, title, layers, the panel of unplaced reports, legend ------
  function addControl(position, build) {
    var c = L.control({position: position});
    c.onAdd = function () {
      var div = L.DomUtil.create('div');
      build(div);
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      return div;
    };
    return c.addTo(map);
  }
  if (L.control.fullscreen) L.control.fullscreen({position: 'topleft'}).addTo(map);
  addControl('topleft', function (div) {
    div.className = 'geoaleppo-title';
    div.innerHTML = '<b>' + data.title + '</b><br><span class="geoaleppo-subtitle">' +
      data.subtitle + '</span>';
  });
  L.control.layers(null, overlays, {collapsed: false, position: 'topright'}).addTo(map);
  var panelButton, panelList;
  function listUnplaced(items) {
    panelButton.textContent = 'Citywide and unplaced reports (' + items.length + ')';
    panelList.innerHTML = items.length ? items.map(function (item) {
      return '<details><summary>' + item.title + '</summary>' + item.popup + '</details>';
    }).join('') : '<p>None: every report here has a place on the map.</p>';
  }
  addControl('topright', function (div) {
    div.className = 'geoaleppo-panel';
    panelButton = L.DomUtil.create('button', 'geoaleppo-panel-button', div);
    panelButton.type = 'button';
    panelList = L.DomUtil.create('div', 'geoaleppo-panel-list', div);
    panelList.hidden = true;
    listUnplaced(data.unplaced);
    panelButton.addEventListener('click', function () { panelList.hidden = !panelList.hidden; });
  });
  addControl('bottomright', function (div) {
    div.className = 'geoaleppo-legend';
    var swatch = function (style) {
      return '<svg width="22" height="14"><rect x="1" y="1" width="20" height="12" ' + style +
        '/></svg> ';
    };
    var parts = ['<b>Reported control<span class="geoaleppo-legend-day">' +
                 (data.asOf ? ' as of ' + data.asOf : '') + '</span></b>'];
    data.statusOrder.forEach(function (status) {
      var colour = data.statusColours[status];
      var fill = status === 'contested' ? 'fill="url(#' + HATCH + '-legend)" fill-opacity="0.9"'
        : status === 'unknown' ? 'fill="none"' : 'fill="' + colour + '" fill-opacity="0.4"';
      parts.push('<div>' + swatch(fill + ' stroke="' + colour + '" stroke-width="2"') +
                 (status === 'unknown' ? 'unknown (outline only)' : status) + '</div>');
    });
    parts.push('<div>' + swatch('fill="none" stroke="#555" stroke-width="2" ' +
               'stroke-dasharray="5 4"') + 'location known only roughly</div>');
    parts.push('<b>Events</b> (a number: several at one place)');
    data.eventLayers.forEach(function (group) {
      parts.push('<div>' + symbolSvg(group.symbol, group.colour, 16) + ' ' + group.name +
                 '</div>');
    });
    parts.push('<b>Outlines</b>');
    parts.push('<div>' + swatch('fill="none" stroke="#000" stroke-width="2" ' +
               'stroke-dasharray="6 4"') + 'derived area ("within 1 km of…")</div>');
    parts.push('<div>' + swatch('fill="none" stroke="#757575" stroke-width="1"') +
               'neighbourhood (hover for its name)</div>');
    parts.push('<div class="geoaleppo-note">' + data.credit + '</div>');
    div.innerHTML = parts.join('');
  });

  // -- the time slider: one day at a time, nothing from another day left drawn ---------
  function timeSlider(days) {
    var DAY_MS = 864e5, MONTHS = ['January', 'February', 'March', 'April', 'May', 'June',
      'July', 'August', 'September', 'October', 'November', 'December'];
    var start = Date.parse(days.first + 'T00:00:00Z');
    var count = Math.round((Date.parse(days.last + 'T00:00:00Z') - start) / DAY_MS) + 1;
    function dayAt(index) { return new Date(start + index * DAY_MS).toISOString().slice(0, 10); }
    function indexOf(day) { return Math.round((Date.parse(day + 'T00:00:00Z') - start) / DAY_MS); }
    function within(item, day) {
      return item.start <= day && (item.end === null || day <= item.end);
    }
    function longDate(day) {
      return +day.slice(8, 10) + ' ' + MONTHS[+day.slice(5, 7) - 1] + ' ' + day.slice(0, 4);
    }
    // An area on a day: the member districts then in it, as one multipolygon.
    function areaOn(place, day) {
      var extent = place.extents.filter(function (e) { return within(e, day); })[0];
      if (!extent) return shapes[place.id];
      var polygons = [];
      extent.members.forEach(function (id) {
        var g = shapes[id];
        if (g && g.type === 'Polygon') polygons.push(g.coordinates);
        else if (g && g.type === 'MultiPolygon') polygons = polygons.concat(g.coordinates);
      });
      return polygons.length ? {type: 'MultiPolygon', coordinates: polygons} : null;
    }
    function controlOn(day) {
      var features = [];
      days.places.forEach(function (place) {
        var interval = place.intervals.filter(function (i) { return within(i, day); })[0];
        var geometry = interval && (place.extents.length ? areaOn(place, day) : shapes[place.id]);
        if (!geometry) return;
        features.push({type: 'Feature', geometry: geometry, properties: {
          status: interval.status, order: place.order, rough: place.rough,
          area: place.extents.length > 0, section: interval.section,
          tooltip: place.title + ': ' + interval.status + (interval.claimed ? ' (claimed)' : '')
        }});
      });
      return features;
    }
    function eventsOn(day) {
      return data.eventLayers.map(function (group) {
        return days.eventLayers[group.symbol].filter(function (f) {
          return within(f.properties, day);
        });
      });
    }
    var dateText, note, range, play, timer = null, current = null;
    function show(index) {
      index = Math.max(0, Math.min(count - 1, index));
      var day = dayAt(index);
      if (day === current) return;
      current = day;
      map.closePopup();
      controlled = controlOn(day);
      control.clearLayers();
      control.addData(controlled);
      var groups = eventsOn(day);
      drawEvents(groups);
      listUnplaced(days.unplaced.filter(function (item) {
        return item.start === null || within(item, day);
      }));
      range.value = String(index);
      // A screen reader says the day, not the step's number.
      range.setAttribute('aria-valuetext', longDate(day));
      dateText.textContent = longDate(day);
      var shown = groups.reduce(function (n, g) {
        return n + g.reduce(function (m, f) { return m + f.properties.count; }, 0);
      }, 0);
      var changed = days.changeDays.indexOf(day) >= 0;
      note.textContent = day + ' · ' + shown + (shown === 1 ? ' event' : ' events') +
        (changed ? ' · control changed this day' : '');
      document.querySelectorAll('.geoaleppo-subtitle').forEach(function (el) {
        el.textContent = el.textContent.replace(/ (up to|on) \d{4}-\d{2}-\d{2}/, ' on ' + day);
      });
      document.querySelectorAll('.geoaleppo-legend-day').forEach(function (el) {
        el.textContent = ' on ' + day;
      });
      addPatterns();
      try { history.replaceState(null, '', '#' + day); } catch (e) { /* a sandboxed frame */ }
    }
    function stop() {
      if (timer !== null) clearInterval(timer);
      timer = null;
      play.textContent = '\u25B6';
      play.setAttribute('aria-label', 'Play');
    }
    addControl('bottomleft', function (div) {
      div.className = 'geoaleppo-slider';
      dateText = L.DomUtil.create('div', 'geoaleppo-slider-date', div);
      dateText.setAttribute('aria-live', 'polite');
      var row = L.DomUtil.create('div', 'geoaleppo-slider-row', div);
      play = L.DomUtil.create('button', 'geoaleppo-slider-play', row);
      play.type = 'button';
      range = L.DomUtil.create('input', 'geoaleppo-slider-range', row);
      range.type = 'range';
      range.min = '0';
      range.max = String(count - 1);
      range.step = '1';
      range.setAttribute('aria-label', 'Day');
      // Tick marks on the days control changed hands.
      var ticks = L.DomUtil.create('datalist', '', row);
      ticks.id = 'geoaleppo-change-days';
      days.changeDays.forEach(function (day) {
        var option = document.createElement('option');
        option.value = String(indexOf(day));
        ticks.appendChild(option);
      });
      range.setAttribute('list', ticks.id);
      var ends = L.DomUtil.create('div', 'geoaleppo-slider-ends', div);
      ends.textContent = days.first + ' \u2013 ' + days.last;
      note = L.DomUtil.create('div', 'geoaleppo-slider-note', div);
      range.addEventListener('input', function () { stop(); show(+range.value); });
      play.addEventListener('click', function () {
        if (timer !== null) { stop(); return; }
        if (+range.value >= count - 1) show(0);
        play.textContent = '\u275A\u275A';
        play.setAttribute('aria-label', 'Pause');
        timer = setInterval(function () {
          if (+range.value >= count - 1) { stop(); return; }
          show(+range.value + 1);
        }, 700);
      });
    });
    stop();
    var linked = /^#(\d{4}-\d{2}-\d{2})$/.exec(window.location.hash);
    var opening = linked && linked[1] >= days.first && linked[1] <= days.last ? linked[1]
      : days.day;
    show(indexOf(opening));
    // For scripts that drive the page (a notebook, a benchmark): the slider's own jump.
    map.geoaleppoShowDay = function (day) { stop(); show(indexOf(day)); return current; };
  }

  // Red and green stripes for contested places: they read over any fill, and without
  // colour the legend still names them.
  function hatch(svg, id) {
    if (!svg || svg.querySelector('#' + id)) return;
    var ns = 'http://www.w3.org/2000/svg';
    var defs = svg.querySelector('defs') ||
      svg.insertBefore(document.createElementNS(ns, 'defs'), svg.firstChild);
    var pattern = document.createElementNS(ns, 'pattern');
    pattern.setAttribute('id', id);
    pattern.setAttribute('patternUnits', 'userSpaceOnUse');
    pattern.setAttribute('width', '10');
    pattern.setAttribute('height', '10');
    pattern.setAttribute('patternTransform', 'rotate(45)');
    [['0', data.statusColours['government-held']], ['5', data.statusColours['rebel-held']]]
      .forEach(function (stripe) {
        var rect = document.createElementNS(ns, 'rect');
        rect.setAttribute('x', stripe[0]);
        rect.setAttribute('width', '5');
        rect.setAttribute('height', '10');
        rect.setAttribute('fill', stripe[1]);
        pattern.appendChild(rect);
      });
    defs.appendChild(pattern);
  }
  function addPatterns() {
    hatch(map.getPane('geoaleppo-control').querySelector('svg'), HATCH);
    document.querySelectorAll('.geoaleppo-legend svg').forEach(function (svg) {
      hatch(svg, HATCH + '-legend');
    });
  }
  map.on('layeradd', addPatterns);
  if (data.timeline) timeSlider(data.timeline);
  if (data.bounds) map.fitBounds(data.bounds, {padding: [20, 20], animate: false});
  zoomClass();
  addPatterns();
}
