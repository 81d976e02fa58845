// geoaleppo map chrome, run once the map exists: `map`, `titleHtml`, `legendHtml` and
// `hatchId` are supplied by the page. The markup is built in Python from escaped text.
function geoaleppoChrome(map, titleHtml, legendHtml, hatchId) {
  function control(position, markup) {
    var c = L.control({position: position});
    c.onAdd = function () {
      var d = L.DomUtil.create('div');
      d.innerHTML = markup;
      L.DomEvent.disableClickPropagation(d);
      return d;
    };
    c.addTo(map);
  }
  control('topleft', titleHtml);
  control('bottomright', legendHtml);

  // Red and green stripes for contested places: readable without colour too, since the
  // legend names it and the stripes differ from any flat fill.
  function hatch(svg, id) {
    if (!svg || svg.querySelector('#' + id)) return;
    var ns = 'http://www.w3.org/2000/svg';
    var defs = svg.querySelector('defs') ||
      svg.insertBefore(document.createElementNS(ns, 'defs'), svg.firstChild);
    var pattern = document.createElementNS(ns, 'pattern');
    pattern.setAttribute('id', id);
    pattern.setAttribute('patternUnits', 'userSpaceOnUse');
    pattern.setAttribute('width', '8');
    pattern.setAttribute('height', '8');
    pattern.setAttribute('patternTransform', 'rotate(45)');
    [['0', '#d7191c'], ['4', '#1a9641']].forEach(function (stripe) {
      var rect = document.createElementNS(ns, 'rect');
      rect.setAttribute('x', stripe[0]);
      rect.setAttribute('width', '4');
      rect.setAttribute('height', '8');
      rect.setAttribute('fill', stripe[1]);
      pattern.appendChild(rect);
    });
    defs.appendChild(pattern);
  }
  function addPatterns() {
    hatch(map.getPanes().overlayPane.querySelector('svg'), hatchId);
    document.querySelectorAll('.geoaleppo-legend svg').forEach(function (svg) {
      hatch(svg, hatchId + '-legend');
    });
  }
  map.whenReady(addPatterns);
  map.on('layeradd', addPatterns);
  setTimeout(addPatterns, 0);
}
