/* Osteon report: sorts and filters tables, shows figure tooltips and marks
   the current section in the contents. It reads only this page, writes text
   with textContent only and loads nothing; the page works without it. */
(function () {
  'use strict';

  var each = function (list, action) {
    Array.prototype.forEach.call(list, action);
  };

  function groupThousands(n) {
    return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  }

  var collator = typeof Intl !== 'undefined' && Intl.Collator
    ? new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' })
    : null;

  function compareText(a, b) {
    if (collator) {
      return collator.compare(a, b);
    }
    return a < b ? -1 : (a > b ? 1 : 0);
  }

  /* The sort key of a cell: its data-value as a number for number columns,
     its text otherwise; null (NA) sorts last in both directions. */
  function sortKey(cell, numeric) {
    if (!cell) {
      return null;
    }
    if (numeric) {
      var raw = cell.getAttribute('data-value');
      if (raw === null || raw === '') {
        return null;
      }
      var number = Number(raw);
      return isNaN(number) ? null : number;
    }
    var text = cell.textContent;
    return text === '' ? null : text;
  }

  function countText(count, matching, filtered) {
    var shown = Number(count.getAttribute('data-shown'));
    var total = Number(count.getAttribute('data-total'));
    var noun = count.getAttribute('data-noun') || 'rows';
    if (!filtered) {
      return null;
    }
    if (shown < total) {
      return groupThousands(matching) + ' of the ' + groupThousands(shown) +
        ' shown ' + noun + ' match (top ' + groupThousands(shown) + ' of ' +
        groupThousands(total) + ')';
    }
    return groupThousands(matching) + ' of ' + groupThousands(total) + ' ' + noun + ' match';
  }

  function setUpTable(block) {
    var table = block.querySelector('table.data-table');
    if (!table || !table.tBodies.length || !table.tHead || !table.tHead.rows.length) {
      return;
    }
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);

    headers.forEach(function (header, column) {
      var button = header.querySelector('button');
      if (!button) {
        return;
      }
      button.addEventListener('click', function () {
        var numeric = header.getAttribute('data-type') === 'number';
        var ascending = header.getAttribute('aria-sort') !== 'ascending';
        headers.forEach(function (other) {
          other.setAttribute('aria-sort', 'none');
        });
        header.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
        var keyed = rows.map(function (row, index) {
          return { row: row, index: index, key: sortKey(row.cells[column], numeric) };
        });
        keyed.sort(function (a, b) {
          if (a.key === null || b.key === null) {
            if (a.key === b.key) {
              return a.index - b.index;
            }
            return a.key === null ? 1 : -1;
          }
          var order = numeric
            ? (a.key < b.key ? -1 : (a.key > b.key ? 1 : 0))
            : compareText(a.key, b.key);
          if (!ascending) {
            order = -order;
          }
          return order !== 0 ? order : a.index - b.index;
        });
        var fragment = document.createDocumentFragment();
        keyed.forEach(function (entry) {
          fragment.appendChild(entry.row);
        });
        body.appendChild(fragment);
      });
    });

    var filter = block.querySelector('input.table-filter');
    var count = block.querySelector('.table-count');
    if (!filter) {
      return;
    }
    var initialCount = count ? count.textContent : '';
    var texts = rows.map(function (row) {
      return Array.prototype.map.call(row.cells, function (cell) {
        return cell.textContent;
      }).join('\t').toLowerCase();
    });
    filter.addEventListener('input', function () {
      var query = filter.value.trim().toLowerCase();
      var matching = 0;
      rows.forEach(function (row, index) {
        var match = query === '' || texts[index].indexOf(query) !== -1;
        row.hidden = !match;
        if (match) {
          matching += 1;
        }
      });
      if (count) {
        count.textContent = countText(count, matching, query !== '') || initialCount;
      }
    });
  }

  /* Figure points carry an SVG <title>; it becomes a data-tip shown at once
     in one floating box (the browser's own title tooltip is slow). */
  function setUpTooltips() {
    var figures = document.querySelectorAll('.figure-svg svg');
    if (!figures.length) {
      return;
    }
    var tip = document.createElement('div');
    tip.className = 'tooltip';
    tip.id = 'osteon-tooltip';
    tip.setAttribute('role', 'tooltip');
    tip.hidden = true;
    document.body.appendChild(tip);

    each(figures, function (svg) {
      each(svg.querySelectorAll('title'), function (title) {
        var owner = title.parentNode;
        var label = title.textContent;
        if (!owner || !owner.setAttribute) {
          return;
        }
        if (!owner.hasAttribute('aria-label')) {
          owner.setAttribute('aria-label', label);
        }
        if (owner !== svg && !owner.hasAttribute('data-tip')) {
          owner.setAttribute('data-tip', label);
        }
        owner.removeChild(title);
      });
      svg.addEventListener('mousemove', function (event) {
        var target = event.target;
        var owner = target && target.closest ? target.closest('[data-tip]') : null;
        if (!owner || !svg.contains(owner)) {
          tip.hidden = true;
          return;
        }
        tip.textContent = owner.getAttribute('data-tip');
        tip.hidden = false;
        var x = event.clientX + 14;
        var y = event.clientY + 14;
        if (x + tip.offsetWidth > window.innerWidth - 8) {
          x = event.clientX - tip.offsetWidth - 14;
        }
        if (y + tip.offsetHeight > window.innerHeight - 8) {
          y = event.clientY - tip.offsetHeight - 14;
        }
        tip.style.left = Math.max(4, x) + 'px';
        tip.style.top = Math.max(4, y) + 'px';
      });
      svg.addEventListener('mouseleave', function () {
        tip.hidden = true;
      });
    });
  }

  /* Marks the contents entry of the section being read. */
  function setUpContents() {
    var links = {};
    var found = false;
    each(document.querySelectorAll('.toc a[href^="#"]'), function (link) {
      var id = link.getAttribute('href').slice(1);
      if (id && id !== 'osteon-main') {
        links[id] = link;
        found = true;
      }
    });
    if (!found) {
      return;
    }
    var sections = Array.prototype.filter.call(
      document.querySelectorAll('main section[id]'),
      function (section) { return Object.prototype.hasOwnProperty.call(links, section.id); }
    );
    var current = null;
    var pending = false;
    function update() {
      pending = false;
      var active = null;
      sections.forEach(function (section) {
        if (section.getBoundingClientRect().top <= 120) {
          active = section;
        }
      });
      var link = active ? links[active.id] : null;
      if (link === current) {
        return;
      }
      if (current) {
        current.classList.remove('current');
        current.removeAttribute('aria-current');
      }
      if (link) {
        link.classList.add('current');
        link.setAttribute('aria-current', 'location');
      }
      current = link;
    }
    window.addEventListener('scroll', function () {
      if (!pending) {
        pending = true;
        window.requestAnimationFrame(update);
      }
    }, { passive: true });
    update();
  }

  function start() {
    each(document.querySelectorAll('.table-block'), setUpTable);
    setUpTooltips();
    setUpContents();
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
}());
