(function(){
  var panel=document.getElementById('evidence'), narrow=window.matchMedia('(max-width:760px)');
  function show(i,pin){
    var d=document.getElementById('d'+i); if(!d) return;
    panel.querySelectorAll('.detail').forEach(function(x){x.hidden=x!==d;});
    panel.querySelector('.hint').hidden=true;
    document.querySelectorAll('.s.selected').forEach(function(x){x.classList.remove('selected');});
    document.getElementById('s'+i).classList.add('selected');
    document.body.dataset.selected=i;
    if(pin){document.body.classList.add('open');document.body.dataset.pinned=i;
      if(narrow.matches){var el=document.getElementById('s'+i);window.scrollTo(0,el.getBoundingClientRect().top+window.scrollY-8);}}
  }
  document.querySelectorAll('.s').forEach(function(el){
    var i=el.dataset.i;
    el.addEventListener('click',function(){show(i,true);});
    el.addEventListener('mouseenter',function(){if(!document.body.dataset.pinned)show(i,false);});
    el.addEventListener('focus',function(){show(i,false);});
    el.addEventListener('keydown',function(e){if(e.key==='Enter'||e.key===' '){e.preventDefault();show(i,true);}});
  });
  panel.querySelector('button.close').addEventListener('click',function(){
    document.body.classList.remove('open'); delete document.body.dataset.pinned;
  });
  document.addEventListener('keydown',function(e){if(e.key==='Escape'){document.body.classList.remove('open');}});
})();
